"""A bare `some i, j` that is not the first statement of a query (a rule body, a
comprehension's body, an `every` body) moves to the front of that query (its old place
holds `true`): regorus re-declares it on each iteration of the statements before it and
fails with "duplicated definition of local variable i", where OPA runs it (trivy-checks'
docker library: `[idx | parts := cmds[idx]; some i, j; parts[i] == ...]`). The meaning is
kept: OPA rejects a body that uses a variable before its `some` ("var referenced
above"), so the statements it jumps over cannot mention those names."""
from __future__ import annotations

from typing import Any

from gitops_guard.evaluate.rego.tree.syntax import Edit, Module, queries


def edits(module: Module) -> list[Edit]:
    return [edit for query in queries(module.tree) for edit in _hoist(module.data, query)]


def _hoist(data: bytes, query: Any) -> list[Edit]:
    stmts = query.get("stmts") if isinstance(query, dict) else None
    if not stmts:
        return []
    names: list[bytes] = []
    found: list[Edit] = []
    for stmt in stmts[1:]:
        some = stmt.get("literal", {}).get("SomeVars")
        if not isinstance(some, dict):
            continue
        start, end = int(stmt["span"]["start"]), int(stmt["span"]["end"])
        names += [data[int(v["start"]):int(v["end"])] for v in some.get("vars", [])]
        # `true` in its place; newlines inside the statement stay (line numbers)
        found.append((start, end, b"true" + b"\n" * data[start:end].count(b"\n")))
    if names:
        first = int(stmts[0]["span"]["start"])
        found.append((first, first, b"some " + b", ".join(names) + b"; "))
    return found
