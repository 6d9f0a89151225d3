"""Custom resources against their CRD: x-kubernetes-validations CEL rules, list types and
formats, walked together over the defaulted object.

Follows k8s.io/apiextensions-apiserver pkg/apiserver/schema/cel/validation.go: each rule
runs with `self` bound to the value of the schema node that carries it (for every list
item and map value below), `message` or `messageExpression` words the error, `fieldPath`
moves it, `reason` names its kind (FieldValueInvalid by default). At the root, `self`
sees only `metadata.name` and `metadata.generateName`. Transition rules (those naming
`oldSelf`) apply to updates only and are counted, not run.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from gitops_guard.model import Document, FieldPath, Finding, Severity
from gitops_guard.validate.apiserver.cel.engine import CelEngine, CelError
from gitops_guard.validate.apiserver.report import CEL_RULE, NOT_EVALUATED, Issues, show
from gitops_guard.validate.apiserver.structural import (
    apply_defaults,
    check_format,
    check_list_type,
)
from gitops_guard.validate.crd import CrdError, crd_versions, is_crd

_OLD_SELF = re.compile(r"\boldSelf\b")
_MISSING_KEY = re.compile(r'Key not found in map : "([^"]*)"')
_FIELD_STEP = re.compile(r"\.([A-Za-z_$][\w$-]*)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]")
_REASONS = {"FieldValueForbidden": "Forbidden", "FieldValueRequired": "Required value",
            "FieldValueDuplicate": "Duplicate value"}


@dataclass(frozen=True)
class CrdVersion:
    name: str  # the CRD's metadata.name
    schema: dict[str, Any]
    crd: Document
    schema_path: FieldPath


@dataclass
class RuleStats:
    """What could not be run, reported once per CRD rule rather than per resource."""

    transition: dict[str, int] = field(default_factory=dict)  # CRD name -> rules skipped
    noted: set[tuple[str, str]] = field(default_factory=set)


def crd_index(documents: list[Document]) -> dict[tuple[str, str], CrdVersion]:
    """(apiVersion, kind) -> the served version's schema, from CRDs among the inputs."""
    found: dict[tuple[str, str], CrdVersion] = {}
    for doc in documents:
        if not is_crd(doc.data):
            continue
        try:
            versions = crd_versions(doc.data)
        except CrdError:
            continue  # the schema stage reports it (GG211)
        for v in versions:
            if v.openapi is not None:
                found.setdefault((v.api_version, v.kind),
                                 CrdVersion(v.crd_name, v.openapi, doc, v.schema_path))
    return found


def _field_path(base: FieldPath, text: Any) -> FieldPath:
    if not isinstance(text, str) or not text:
        return base
    out = list(base)
    for match in _FIELD_STEP.finditer(text):
        name, quoted, index = match.groups()
        out.append(int(index) if index is not None else (name if name is not None
                                                           else quoted))
    return tuple(out)


@dataclass
class CrdWalk:
    """One custom resource walked against its CRD version's schema."""

    issues: Issues
    crd: CrdVersion
    engine: CelEngine
    stats: RuleStats
    cel: bool = True

    def run(self, data: dict[str, Any]) -> None:
        defaulted = apply_defaults(self.crd.schema, data)
        self.walk(self.crd.schema, defaulted, (), root=True)

    def walk(self, schema: Any, value: Any, path: FieldPath, root: bool = False) -> None:
        if not isinstance(schema, dict) or value is None:
            return
        check_format(self.issues, schema, value, path)
        rules = schema.get("x-kubernetes-validations")
        if self.cel and isinstance(rules, list):
            self_value = _root_view(value) if root else value
            for rule in rules:
                if isinstance(rule, dict) and isinstance(rule.get("rule"), str):
                    self.rule(rule, self_value, path)
        if isinstance(value, dict):
            props = schema.get("properties")
            props = props if isinstance(props, dict) else {}
            extra = schema.get("additionalProperties")
            for key, sub in value.items():
                if root and key == "metadata":
                    continue
                child = props.get(key, extra if isinstance(extra, dict) else None)
                self.walk(child, sub, (*path, key))
        elif isinstance(value, list):
            check_list_type(self.issues, schema, value, path)
            for i, item in enumerate(value):
                self.walk(schema.get("items"), item, (*path, i))

    def rule(self, rule: dict[str, Any], value: Any, path: FieldPath) -> None:
        text = rule["rule"]
        if _OLD_SELF.search(text):
            self.stats.transition[self.crd.name] = self.stats.transition.get(
                self.crd.name, 0) + 1
            return
        try:
            result = self.engine.evaluate(text, {"self": value})
        except CelError as exc:
            self.note(text, f"does not compile offline: {exc}")
            return
        if result.error and _MISSING_KEY.search(result.error):
            # The object (defaults applied) lacks a field the rule reads: the API server
            # fails the rule the same way, and refuses the object.
            missing = _MISSING_KEY.search(result.error)
            assert missing is not None
            self.issues.add(CEL_RULE, _field_path(path, rule.get("fieldPath")),
                            f"Invalid value: evaluating rule {text!r}: no such key: "
                            f"{missing.group(1)} (CRD {self.crd.name})")
            return
        if result.error:
            self.note(text, f"could not be evaluated: {result.error}")
            return
        if result.value is not False:
            return
        self.issues.add(CEL_RULE, _field_path(path, rule.get("fieldPath")),
                        self.message(rule, value))

    def message(self, rule: dict[str, Any], value: Any) -> str:
        text = rule.get("message") if isinstance(rule.get("message"), str) else ""
        expression = rule.get("messageExpression")
        if isinstance(expression, str):
            try:
                result = self.engine.evaluate(expression, {"self": value})
                if isinstance(result.value, str) and result.value.strip():
                    text = result.value
            except CelError:
                pass
        text = text or f"failed rule: {rule['rule']}"
        kind = _REASONS.get(str(rule.get("reason")), "")
        if kind:
            return f"{kind}: {text} (CRD {self.crd.name})"
        shown = show(value) if not isinstance(value, (dict, list)) else (
            '"object"' if isinstance(value, dict) else '"array"')
        return f"Invalid value: {shown}: {text} (CRD {self.crd.name})"

    def note(self, rule: str, why: str) -> None:
        key = (self.crd.name, rule)
        if key in self.stats.noted:
            return
        self.stats.noted.add(key)
        doc = self.crd.crd
        self.issues.found.append(Finding(
            NOT_EVALUATED, Severity.INFO, f"CRD {self.crd.name} rule {rule!r} {why}",
            doc.locate(self.crd.schema_path), doc.resource, "apiserver", doc.env))


def _root_view(data: Any) -> Any:
    if not isinstance(data, dict):
        return data
    meta = data.get("metadata")
    kept = {k: meta[k] for k in ("name", "generateName") if isinstance(meta, dict) and k in meta}
    return {**data, "metadata": kept}


def transition_notes(stats: RuleStats, index: dict[tuple[str, str], CrdVersion],
                     ) -> list[Finding]:
    """One note per CRD whose transition rules (oldSelf) were skipped."""
    out: list[Finding] = []
    crds = {v.name: v for v in index.values()}
    for name, count in sorted(stats.transition.items()):
        version = crds[name]
        doc = version.crd
        out.append(Finding(
            NOT_EVALUATED, Severity.INFO,
            f"CRD {name}: {count} evaluation(s) of transition rules (oldSelf) skipped: they "
            "apply to updates, and a check sees the object as created",
            doc.locate(version.schema_path), doc.resource, "apiserver", doc.env))
    return out
