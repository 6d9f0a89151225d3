"""The properties every loader result must have, whatever the input."""
from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import Any

from gitops_guard.load.base import LoadResult
from gitops_guard.model import PathElem

MAX_PATHS = 300  # aliases make the data a DAG: walk a sample, never the expansion


def line_bound(data: bytes) -> int:
    """An upper bound on the line numbers a finding in `data` can honestly carry."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", "replace")
    else:
        text = data.decode("utf-8", "replace")
    # splitlines() breaks on every character YAML (\r, \x85, \u2028...) or HCL does.
    return max(len(text.splitlines()), data.count(b"\n")) + 1


def field_paths(value: Any) -> Iterator[tuple[PathElem, ...]]:
    """Paths into `value`, breadth first, at most MAX_PATHS of them."""
    queue: list[tuple[tuple[PathElem, ...], Any]] = [((), value)]
    emitted = 0
    while queue and emitted < MAX_PATHS:
        path, here = queue.pop(0)
        yield path
        emitted += 1
        if isinstance(here, dict):
            queue.extend(((*path, k), v) for k, v in list(here.items())[:20])
        elif isinstance(here, list):
            queue.extend(((*path, i), v) for i, v in enumerate(here[:20]))
    yield ("no-such-field", 10**9, "x")  # a path the data does not have


def assert_well_formed(data: bytes, path: str, result: LoadResult) -> None:
    assert isinstance(result, LoadResult)
    bound = line_bound(data)
    for finding in result.findings:
        loc = finding.location
        assert loc.path == path, finding
        assert 0 <= loc.line <= bound, (finding, bound)
        assert loc.column >= 0, finding
        assert finding.message.strip(), finding
        assert len(finding.message) < 2_000, finding.message[:200]  # no echoed megabytes
    for doc in result.documents:
        assert doc.path == path
        assert 1 <= doc.line <= bound, (doc.line, bound)
        for field in field_paths(doc.data):
            where = doc.locate(field)
            assert where.path == path
            assert 1 <= where.line <= bound, (field, where, bound)
            assert where.column >= 0, (field, where)
