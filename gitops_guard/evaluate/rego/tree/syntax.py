"""regorus's syntax tree of a module, and the walks and byte ranges the rewrites use.

The tree is regorus's own (`Engine.get_ast_as_json`): spans are byte offsets of the text
handed to regorus, so an edit never touches a string or a comment.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, NamedTuple

Edit = tuple[int, int, bytes]  # replace data[start:end] with the bytes
VALUE_KINDS = ("RefBrack", "RefDot", "Call")  # terms that read something


class Module(NamedTuple):
    """What each rewrite reads: the module's text and tree, and its package's rules."""

    data: bytes  # the text, UTF-8: the tree's spans index it
    tree: Any
    package: str  # the module's package, dotted
    rules: frozenset[str]  # the names of the package's (non-function) rules
    counter: Iterator[int]  # numbers the hoisted terms' names (__gg_w0, __gg_w1, ...)


def syntax_tree(text: str, rego_version: str, path: str) -> Any:
    """The module's tree, or None where regorus cannot parse it (it reports why on load)."""
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


def apply_edits(data: bytes, edits: list[Edit]) -> bytes:
    """The text with every edit made, the last first so earlier offsets stay right."""
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        data = data[:start] + new + data[end:]
    return data


def queries(node: Any) -> Iterator[Any]:
    """Every query (a dict with `stmts`) in the tree, nested ones too."""
    if isinstance(node, dict):
        if isinstance(node.get("stmts"), list):
            yield node
        for value in node.values():
            yield from queries(value)
    elif isinstance(node, list):
        for item in node:
            yield from queries(item)


def comprehensions(node: Any) -> Iterator[Any]:
    """Every array, set and object comprehension in the tree, nested ones too."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("ArrayCompr", "SetCompr", "ObjectCompr") and isinstance(value, dict):
                yield value
            yield from comprehensions(value)
    elif isinstance(node, list):
        for item in node:
            yield from comprehensions(item)


def var_spans(node: Any, name: str) -> Iterator[tuple[int, int]]:
    """The byte ranges of every variable `name` in a subtree."""
    if isinstance(node, dict):
        var = node.get("Var")
        if isinstance(var, dict) and var.get("value") == name:
            yield int(var["span"]["start"]), int(var["span"]["end"])
        for value in node.values():
            yield from var_spans(value, name)
    elif isinstance(node, list):
        for item in node:
            yield from var_spans(item, name)


def span(node: Any, data: bytes = b"") -> tuple[int, int]:
    """A term's byte range. regorus's `start` of an object with several fields is off
    (it points into the last key); its line and column are right (a tab counts 4).
    ValueError where neither gives the object's `{`."""
    kind, inner = next(iter(node.items()))
    start, end = int(inner["span"]["start"]), int(inner["span"]["end"])
    if kind == "Object" and data:
        start = offset(data, int(inner["span"]["line"]), int(inner["span"]["col"]))
        if data[start:start + 1] != b"{":
            raise ValueError("object span")
    return start, end


def offset(data: bytes, line: int, col: int) -> int:
    """The byte offset of a 1-based (line, column), tabs counting 4 columns."""
    begin = 0
    for _ in range(line - 1):
        begin = data.index(b"\n", begin) + 1
    text = data[begin:data.find(b"\n", begin) if b"\n" in data[begin:] else len(data)]
    column, chars = 1, text.decode("utf-8")
    for i, ch in enumerate(chars):
        if column >= col:
            return begin + len(chars[:i].encode("utf-8"))
        column += 4 if ch == "\t" else 1
    return begin + len(text)
