"""In `not f(input.x)` (any call or comparison but `==`, and `x in xs`), arguments that
hold a reference or a call are computed before the `not`, as OPA's compiler does
(rewriteDynamicTerms): an undefined argument makes the statement undefined, where regorus
made `not` true (`not regex.match("A", out[0][1])` with `out == []`). In `not a == b`
only calls are taken out: `not input.missing == 1` stays true, as in OPA. In `not
m[input.x]` the index is taken out (`__gg_w0 := input.x; not m[__gg_w0]`): a missing
index makes the statement undefined (trivy-checks' KSV0108 `not
allowedNames[spec.externalName]`), unless it iterates (`m[input.xs[_]]`, left alone)."""
from __future__ import annotations

from typing import Any

from gitops_guard.evaluate.rego.tree.hoist import hoist_terms
from gitops_guard.evaluate.rego.tree.syntax import VALUE_KINDS, Edit, Module, queries, var_spans


def edits(module: Module) -> list[Edit]:
    found: list[Edit] = []
    for query in queries(module.tree):
        for stmt in query["stmts"]:
            found += _negated_arguments(module, stmt)
    return found


def _negated_arguments(module: Module, stmt: Any) -> list[Edit]:
    negated = (stmt.get("literal") or {}).get("NotExpr")
    if not isinstance(negated, dict) or stmt.get("with_mods"):
        return []
    kind, node = next(iter(negated["expr"].items()))
    terms: list[Any] = []
    if kind == "Call":
        terms = list(node.get("params") or [])
    elif kind == "BoolExpr" and node.get("op") != "Eq":
        terms = [node["lhs"], node["rhs"]]
    elif kind == "BoolExpr":  # `==`: only calls are taken out
        terms = [t for t in (node["lhs"], node["rhs"]) if next(iter(t), "") == "Call"]
    elif kind == "Membership" and node.get("key") is None:
        terms = [node["value"], node["collection"]]
    elif kind in ("RefBrack", "RefDot"):
        terms = [t for t in _indexes(node) if next(var_spans(t, "_"), None) is None]
    return hoist_terms(module.data, stmt, [t for t in terms if _refers(t)], module.counter)


def _indexes(ref: Any) -> list[Any]:
    """The bracketed indexes of a reference, outermost first (`m[a].b[c]`: c, a)."""
    found: list[Any] = []
    while isinstance(ref, dict):
        if "index" in ref:
            found.append(ref["index"])
        kind, ref = next(iter(ref["refr"].items()), ("", None))
        if kind not in ("RefBrack", "RefDot"):
            break
    return found


def _refers(term: Any) -> bool:
    """Whether a term holds a reference or a call (outside comprehensions)."""
    if isinstance(term, dict):
        kind = next(iter(term), "")
        if kind in VALUE_KINDS:
            return True
        if kind.endswith("Compr"):
            return False
        return any(_refers(v) for v in term.values())
    if isinstance(term, list):
        return any(_refers(v) for v in term)
    return False
