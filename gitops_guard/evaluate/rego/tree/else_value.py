"""A rule with `else` whose value is a reference or a call bound by its body,
`allowed := matrix[v] if { ...; v := max(c) } else := default`, gets that value computed
at the end of its first body (`allowed := __gg_value if { ...; v := max(c); __gg_value :=
matrix[v] } else := default`): regorus yields both the value and the `else` ("rules must
not produce multiple outputs"). OPA's compiler makes the same move itself, so an undefined
value still falls through to `else`."""
from __future__ import annotations

from typing import Any

from gitops_guard.evaluate.rego.tree.syntax import VALUE_KINDS, Edit, Module, span

_VALUE_VAR = b"__gg_value"


def edits(module: Module) -> list[Edit]:
    return [edit for rule in module.tree.get("rules", [])
            for edit in _value_into_body(module.data, rule)]


def _value_into_body(data: bytes, rule: Any) -> list[Edit]:
    spec = rule.get("Spec") if isinstance(rule, dict) else None
    if not isinstance(spec, dict) or len(spec.get("bodies", [])) < 2:
        return []
    head = next(iter(spec["head"].values()), None)
    assign = head.get("assign") if isinstance(head, dict) else None
    value = assign.get("value") if isinstance(assign, dict) else None
    kind = next(iter(value), "") if isinstance(value, dict) else ""
    first = spec["bodies"][0]
    if (not isinstance(value, dict) or kind not in VALUE_KINDS or first.get("is_else")
            or not spec["bodies"][1].get("is_else")):
        return []
    start, end = span(value)
    body_start, body_end = int(first["span"]["start"]), int(first["span"]["end"])
    text = data[start:end]
    stmts = first["query"].get("stmts") or []
    if data[body_start:body_start + 2] == b"if":  # v1: the span starts at `if`
        body_start += 2
        while data[body_start:body_start + 1] in (b" ", b"\t", b"\n", b"\r"):
            body_start += 1
    if (b"\n" in text or not stmts or data[body_start:body_start + 1] != b"{"
            or data[body_end - 1:body_end] != b"}"):
        return []
    last = int(stmts[-1]["span"]["end"])
    glue = b" " if b"\n" in data[last:body_end - 1] else b"; "
    return [(start, end, _VALUE_VAR),
            (body_end - 1, body_end - 1, glue + _VALUE_VAR + b" := " + text + b" ")]
