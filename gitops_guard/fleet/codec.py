"""Findings and plans to JSON and back, losslessly: a merged run must print byte for byte
what one unsharded run prints, so tuples stay tuples and secrets stay masked.

Plain JSON values are written as they are; the few other types a plan holds are tagged
objects with one `$`-key ({"$tuple": [...]}); a mapping that could be mistaken for a tag
(non-string keys, or a key starting with `$`) is written as {"$dict": [[k, v], ...]}.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from typing import Any

from gitops_guard.errors import GuardError
from gitops_guard.model import Finding, Location, ResourceKey, Severity
from gitops_guard.plan.model import (
    EnvPlan,
    FieldChange,
    Identity,
    Masked,
    Plan,
    ResourceChange,
    Risk,
)


class CodecError(GuardError):
    """A bundle holds something this version cannot read back."""


def _tag_float(value: float) -> Any:
    return value if math.isfinite(value) else {"$float": repr(value)}


def encode_value(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return _tag_float(value)
    if isinstance(value, list):
        return [encode_value(v) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [encode_value(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        items = sorted((encode_value(v) for v in value), key=repr)
        return {"$frozenset" if isinstance(value, frozenset) else "$set": items}
    if isinstance(value, Masked):
        return {"$masked": [value.nbytes, value.digest]}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, Mapping):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: encode_value(v) for k, v in value.items()}
        return {"$dict": [[encode_value(k), encode_value(v)] for k, v in value.items()]}
    raise CodecError(f"cannot write a {type(value).__name__} into a bundle")


_TAGS: dict[str, Callable[[Any], Any]] = {
    "$tuple": lambda v: tuple(decode_value(x) for x in v),
    "$frozenset": lambda v: frozenset(decode_value(x) for x in v),
    "$set": lambda v: {decode_value(x) for x in v},
    "$masked": lambda v: Masked(int(v[0]), str(v[1])),
    "$datetime": lambda v: dt.datetime.fromisoformat(v),
    "$date": lambda v: dt.date.fromisoformat(v),
    "$float": float,
    "$dict": lambda v: {_hashable(decode_value(k)): decode_value(x) for k, x in v},
}


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


def decode_value(value: Any) -> Any:
    if isinstance(value, list):
        return [decode_value(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            (key, inner), = value.items()
            if key.startswith("$"):
                decode = _TAGS.get(key)
                if decode is None:
                    raise CodecError(f"unknown tag {key} in a bundle")
                return decode(inner)
        return {k: decode_value(v) for k, v in value.items()}
    return value


# --- findings -----------------------------------------------------------------------------


def encode_finding(f: Finding) -> dict[str, Any]:
    return {"rule": f.rule_id, "severity": int(f.severity), "message": f.message,
            "location": list(f.location), "resource": list(f.resource) if f.resource else None,
            "source": f.source, "env": f.env, "field": f.field_path, "doc_url": f.doc_url,
            "metadata": encode_value(dict(f.metadata))}


_SEVERITIES = {int(s): s for s in Severity}


def decode_finding(raw: Mapping[str, Any]) -> Finding:
    resource, metadata = raw["resource"], raw["metadata"]
    return Finding(
        str(raw["rule"]), _SEVERITIES[int(raw["severity"])], str(raw["message"]),
        Location(*raw["location"]), ResourceKey(*resource) if resource else None,
        source=str(raw["source"]), env=raw["env"], field_path=str(raw["field"]),
        doc_url=str(raw["doc_url"]), metadata=decode_value(metadata) if metadata else {})


# --- plans --------------------------------------------------------------------------------


def _identity(raw: Any) -> Identity:
    return Identity(*raw)


def _encode_change(c: ResourceChange) -> dict[str, Any]:
    return {"identity": list(c.identity), "action": c.action, "api_version": c.api_version,
            "before_api_version": c.before_api_version,
            "renamed_from": list(c.renamed_from) if c.renamed_from else None,
            "fields": [[f.path, f.op, encode_value(f.before), encode_value(f.after),
                        list(f.text_diff)] for f in c.fields],
            "risks": [list(r) for r in c.risks], "source": c.source}


def _decode_change(raw: Mapping[str, Any]) -> ResourceChange:
    renamed = raw["renamed_from"]
    return ResourceChange(
        _identity(raw["identity"]), raw["action"], raw["api_version"],
        raw["before_api_version"], _identity(renamed) if renamed else None,
        tuple(FieldChange(p, op, decode_value(b), decode_value(a), tuple(diff))
              for p, op, b, a, diff in raw["fields"]),
        tuple(Risk(code, message, level) for code, message, level in raw["risks"]),
        raw["source"])


def encode_env_plan(env: EnvPlan) -> dict[str, Any]:
    return {"name": env.name, "kind": env.kind,
            "changes": [_encode_change(c) for c in env.changes], "unchanged": env.unchanged,
            "hidden": dict(env.hidden), "notes": list(env.notes),
            "unrendered": list(env.unrendered),
            "unchanged_ids": sorted(list(i) for i in env.unchanged_ids)}


def decode_env_plan(raw: Mapping[str, Any]) -> EnvPlan:
    return EnvPlan(raw["name"], raw["kind"], [_decode_change(c) for c in raw["changes"]],
                   int(raw["unchanged"]), dict(raw["hidden"]), list(raw["notes"]),
                   list(raw["unrendered"]),
                   frozenset(_identity(i) for i in raw["unchanged_ids"]))


def encode_plan(plan: Plan) -> dict[str, Any]:
    return {"base": plan.base, "against": plan.against,
            "environments": [encode_env_plan(e) for e in plan.environments]}


def decode_plan(raw: Mapping[str, Any]) -> Plan:
    return Plan([decode_env_plan(e) for e in raw["environments"]], raw["base"], raw["against"])
