"""Turns jsonschema-rs validation errors into findings at the offending field."""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from gitops_guard.model import Document, Finding, Severity, format_path
from gitops_guard.secrets_shape import SECRET_NAME as SECRET_ENV_NAME

INVALID_VALUE = "GG201"
UNKNOWN_FIELD = "GG202"
MISSING_FIELD = "GG203"

_SECRET_KINDS = frozenset({"Secret"})
_YAML11_HINT = " (unquoted yes/no/on/off are YAML 1.1 booleans; quote the value)"


def _show(value: Any, secret: bool) -> str:
    if secret:
        return "<redacted>"
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _types(kind: Any) -> list[str]:
    raw = kind.as_dict().get("types") or [kind.as_dict().get("expected")]
    return [str(t) for t in raw if t and t != "null"]


def describe(error: Any, secret: bool) -> tuple[str, str]:
    """(rule id, message) for one jsonschema-rs error, values masked for Secrets."""
    name = error.kind.name
    if name == "type":
        value = error.instance
        types = " or ".join(_types(error.kind)) or "the schema's type"
        hint = _YAML11_HINT if isinstance(value, bool) and "string" in types else ""
        return INVALID_VALUE, f"{_show(value, secret)} is not of type {types}{hint}"
    if secret:
        return INVALID_VALUE, f"value does not match the schema ({name})"
    return INVALID_VALUE, str(error.message)


def _secret_field(data: Any, path: tuple[Any, ...]) -> bool:
    """A field whose name says secret (`password:`), or the `value` of an env var whose
    name does (`DB_PASSWORD`): its value is shown as <redacted>, as the plan masks it."""
    keys = [p for p in path if isinstance(p, str)]
    if keys and SECRET_ENV_NAME.search(keys[-1]):
        return True
    if not path or path[-1] != "value":
        return False
    parent = data
    for step in path[:-1]:
        try:
            parent = parent[step]
        except (KeyError, IndexError, TypeError):
            return False
    return isinstance(parent, dict) and isinstance(parent.get("name"), str) and bool(
        SECRET_ENV_NAME.search(parent["name"]))


def schema_findings(
    errors: Iterator[Any], doc: Document, schema_label: str, rule_prefix_severity: Severity,
) -> list[Finding]:
    """Findings for every error, located at the field (unknown keys at the key itself)."""
    resource = doc.resource
    secret_kind = resource is not None and resource.kind in _SECRET_KINDS
    out: list[Finding] = []
    for error in errors:
        path = tuple(error.instance_path)
        secret = secret_kind or _secret_field(doc.data, path)
        kind = error.kind.name
        if kind == "additionalProperties":
            for key in error.kind.as_dict().get("unexpected", []):
                field = (*path, key)
                out.append(Finding(
                    UNKNOWN_FIELD, rule_prefix_severity,
                    f"unknown field \"{format_path(field)}\" ({schema_label})",
                    doc.locate(field), resource, "schema", doc.env, format_path(field)))
            continue
        if kind == "required":
            prop = error.kind.as_dict().get("property", "?")
            field = (*path, prop)
            out.append(Finding(
                MISSING_FIELD, rule_prefix_severity,
                f"missing required field \"{format_path(field)}\" ({schema_label})",
                doc.locate(path), resource, "schema", doc.env, format_path(field)))
            continue
        rule, message = describe(error, secret)
        where = format_path(path) or "(document)"
        out.append(Finding(
            rule, rule_prefix_severity, f"{where}: {message} ({schema_label})",
            doc.locate(path), resource, "schema", doc.env, format_path(path)))
    return out
