"""Rewrites that need regorus's syntax tree, for valid Rego that regorus then mis-runs.

- A bare `some i, j` that is not the first statement of a query (a rule body, a
  comprehension's body, an `every` body) moves to the front of that query (its old place
  holds `true`): regorus re-declares it on each iteration of the statements before it
  and fails with "duplicated definition of local variable i", where OPA runs it
  (trivy-checks' docker library: `[idx | parts := cmds[idx]; some i, j; parts[i] == ...]`,
  `run := docker.run[_]; ...; some package_manager`). The meaning is kept: OPA
  rejects a body that uses a variable before its `some` ("var referenced above"), so
  the statements it jumps over cannot mention those names.

Positions come from the tree (byte offsets of the text handed to regorus), so strings
and comments are never touched; every line keeps its number. Text the tree cannot be
built for is returned unchanged: regorus reports the error when it loads it.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

# a bare `some a, b` (no `in`): worth a parse
_BARE_SOME = re.compile(r"\bsome\s+[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*\s*(?:[;\]}\n#]|$)")

Edit = tuple[int, int, bytes]  # replace data[start:end] with the bytes


def rewrite_tree(text: str, rego_version: str, path: str) -> str:
    if not _BARE_SOME.search(text):
        return text
    tree = _syntax_tree(text, rego_version, path)
    if tree is None:
        return text
    data = text.encode("utf-8")
    edits = [edit for query in _queries(tree) for edit in _hoist_some(data, query)]
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        data = data[:start] + new + data[end:]
    return data.decode("utf-8")


def _syntax_tree(text: str, rego_version: str, path: str) -> Any:
    import regorus

    engine = regorus.Engine()
    engine.set_rego_v0(rego_version == "v0")
    engine.set_policy_length_config(max_col=1 << 20, max_file_bytes=64 << 20,
                                    max_lines=1 << 22)
    try:
        engine.add_policy(path or "policy.rego", text)
        return json.loads(engine.get_ast_as_json())[0]["ast"]
    except (RuntimeError, ValueError, KeyError, IndexError):
        return None


def _queries(node: Any) -> Iterator[Any]:
    """Every query (a dict with `stmts`) in the tree, nested ones too."""
    if isinstance(node, dict):
        if isinstance(node.get("stmts"), list):
            yield node
        for value in node.values():
            yield from _queries(value)
    elif isinstance(node, list):
        for item in node:
            yield from _queries(item)


def _hoist_some(data: bytes, query: Any) -> list[Edit]:
    stmts = query.get("stmts") if isinstance(query, dict) else None
    if not stmts:
        return []
    names: list[bytes] = []
    edits: list[Edit] = []
    for stmt in stmts[1:]:
        some = stmt.get("literal", {}).get("SomeVars")
        if not isinstance(some, dict):
            continue
        start, end = int(stmt["span"]["start"]), int(stmt["span"]["end"])
        names += [data[int(v["start"]):int(v["end"])] for v in some.get("vars", [])]
        # `true` in its place; newlines inside the statement stay (line numbers)
        edits.append((start, end, b"true" + b"\n" * data[start:end].count(b"\n")))
    if names:
        first = int(stmts[0]["span"]["start"])
        edits.append((first, first, b"some " + b", ".join(names) + b"; "))
    return edits
