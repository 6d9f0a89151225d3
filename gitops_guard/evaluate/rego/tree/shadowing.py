"""In a comprehension, `name := ...` after `name` was used in it (the outer `name`)
declares a new variable, as OPA reads it: from there on, and in the comprehension's head,
it is renamed `__gg_name` (regorus: "var name used before definition below"; conftest's
examples/combine: `[name | input[i].name == name; name := input[i].id]`)."""
from __future__ import annotations

from typing import Any

from gitops_guard.evaluate.rego.tree.syntax import Edit, Module, comprehensions, var_spans


def edits(module: Module) -> list[Edit]:
    return [edit for node in comprehensions(module.tree)
            for edit in _shadowing(module.data, node)]


def _shadowing(data: bytes, compr: Any) -> list[Edit]:
    stmts = (compr.get("query") or {}).get("stmts") or []
    heads = [compr.get(k) for k in ("term", "key", "value") if compr.get(k) is not None]
    for k, stmt in enumerate(stmts):
        assign = ((stmt.get("literal") or {}).get("Expr") or {}).get("expr", {}).get(
            "AssignExpr")
        lhs = assign.get("lhs") if isinstance(assign, dict) else None
        if not (isinstance(lhs, dict) and "Var" in lhs and assign.get("op") == "ColEq"):
            continue
        name = str(lhs["Var"]["value"])
        if name == "_" or not any(True for _ in var_spans(stmts[:k], name)):
            continue
        new = b"__gg_" + name.encode()
        spans = {*var_spans(lhs, name), *var_spans(stmts[k + 1:], name),
                 *var_spans(heads, name)}
        return [(start, end, new) for start, end in spans if data[start:end] == name.encode()]
    return []
