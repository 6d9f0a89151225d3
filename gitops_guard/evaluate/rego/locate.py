"""Where a Rego result points: a field path (`path`, or `_loc`) in its document.

Accepted forms, in a result object:
  "path": ["spec", "template", "spec", "containers", 0, "image"]
  "path": "spec.template.spec.containers[0].image"
  "_loc": <either form above> | {"path": ...} | {"line": N, "column": N}
With --combine the input is a list of {path, contents}; a path that starts with
[i, "contents", ...] points into the i-th document.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from gitops_guard.model import Document, FieldPath, Location, PathElem

_TOKEN = re.compile(r"\[(\d+)\]|\[\"([^\"]*)\"\]|([^.\[\]]+)")


class Where(NamedTuple):
    location: Location
    document: Document | None
    path: FieldPath


def result_location(extra: Mapping[str, Any], docs: Sequence[Document]) -> Where:
    raw: Any = extra.get("path")
    explicit_line: tuple[int, int] | None = None
    loc = extra.get("_loc")
    if raw is None and loc is not None:
        if isinstance(loc, dict):
            raw = loc.get("path")
            line = loc.get("line", loc.get("row"))
            if isinstance(line, int) and not isinstance(line, bool) and line > 0:
                column = loc.get("column", loc.get("col", 1))
                explicit_line = (line, column if isinstance(column, int) else 1)
        else:
            raw = loc
    path = parse_path(raw)
    document: Document | None = docs[0] if len(docs) == 1 else None
    if (len(docs) > 1 and len(path) >= 2 and isinstance(path[0], int)
            and path[1] == "contents" and 0 <= path[0] < len(docs)):
        document, path = docs[path[0]], path[2:]
    if document is None:
        first = docs[0].locate() if docs else Location("")
        return Where(first, None, ())
    if explicit_line is not None and not path:
        return Where(Location(document.path, *explicit_line), document, ())
    return Where(document.locate(path), document, path)


def parse_path(raw: Any) -> FieldPath:
    """A field path from a list of keys/indexes or a dotted string; () if unusable."""
    if isinstance(raw, str):
        out: list[PathElem] = []
        for index, quoted, key in _TOKEN.findall(raw.strip().lstrip("$").lstrip(".")):
            out.append(int(index) if index else quoted or key)
        return tuple(out)
    if not isinstance(raw, list):
        return ()
    elems: list[PathElem] = []
    for item in raw:
        if isinstance(item, bool):
            return ()
        if isinstance(item, int | str):
            elems.append(item)
        elif isinstance(item, float) and item.is_integer():
            elems.append(int(item))
        else:
            return ()
    return tuple(elems)
