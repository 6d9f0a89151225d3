"""`with` modifiers as OPA's compiler reads them.

- `with NAME as v`, NAME a rule of the module's package, targets `data.<package>.NAME`
  (what OPA's compiler resolves it to); regorus says "undefined rule".
- A `with ... as VALUE` whose value is not a constant is computed by a statement of its
  own just before (`__gg_w0 := VALUE; r := deny with input as __gg_w0`): regorus
  evaluated a rule referenced in the value (`{"v": check.allowed}`) under the new input
  and lost it. OPA evaluates the value in the enclosing context, as the new statement
  does. The statement is written on one line (comments dropped); the value's place keeps
  its line breaks.
"""
from __future__ import annotations

from typing import Any

from gitops_guard.evaluate.rego.tree.hoist import hoist_terms
from gitops_guard.evaluate.rego.tree.syntax import VALUE_KINDS, Edit, Module, queries

_CONSTANTS = ("String", "RawString", "Number", "Bool", "Null")


def edits(module: Module) -> list[Edit]:
    found: list[Edit] = []
    for query in queries(module.tree):
        for stmt in query["stmts"]:
            for mod in stmt.get("with_mods") or []:
                found += _target(mod, module.package, module.rules)
            values = [mod.get("as") for mod in stmt.get("with_mods") or []]
            found += hoist_terms(module.data, stmt, [v for v in values if _needs_hoist(v)],
                                 module.counter)
    return found


def _target(mod: Any, package: str, rules: frozenset[str]) -> list[Edit]:
    base: Any = mod.get("refr") or {}
    while isinstance(base, dict) and ("RefDot" in base or "RefBrack" in base):
        base = next(iter(base.values()))["refr"]
    var = base.get("Var") if isinstance(base, dict) else None
    if not package or not isinstance(var, dict) or var.get("value") not in rules:
        return []
    from gitops_guard.evaluate.rego.engine import data_ref

    start, end = int(var["span"]["start"]), int(var["span"]["end"])
    return [(start, end, data_ref(package, str(var["value"])).encode())]


def _needs_hoist(value: Any) -> bool:
    """Whether a `with` value refers to anything (a variable, a rule, a call)."""
    if isinstance(value, dict):
        if "Var" in value:
            return True
        kind = next(iter(value), "")
        if kind in VALUE_KINDS:
            return True
        return any(_needs_hoist(v) for k, v in value.items() if k not in _CONSTANTS)
    if isinstance(value, list):
        return any(_needs_hoist(v) for v in value)
    return False
