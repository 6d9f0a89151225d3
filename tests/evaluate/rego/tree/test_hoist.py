"""Terms computed before their statement: written on one line, only where a statement may
go (not after `p if`)."""
from __future__ import annotations

import pytest

from gitops_guard.evaluate.rego.tree.hoist import may_precede, one_line


@pytest.mark.parametrize(("text", "want"), [
    ("f(1)", "f(1)"),
    ("f(\n  1, # a comment\n  2,\n)", "f(   1,    2, )"),
    ('f("# not a comment", `raw`)', 'f("# not a comment", `raw`)'),
    ('{"a": "x\\"#y"}', '{"a": "x\\"#y"}'),
    ("f(`two\nlines`)", None),  # a raw string that spans lines cannot go on one line
])
def test_one_line(text: str, want: str | None) -> None:
    assert one_line(text) == want


@pytest.mark.parametrize(("data", "at", "want"), [
    (b"p if { x }", 7, True),      # after `{`
    (b"p if { a; x }", 9, True),   # after `;`
    (b"[y | x]", 5, True),         # after a comprehension's `|`
    (b"p if {\n\t x\n}", 9, True),  # first on its line
    (b"x", 0, True),
    (b"p if x", 5, False),         # `p if expr`: no body to put a statement in
])
def test_may_precede(data: bytes, at: int, want: bool) -> None:
    assert may_precede(data, at) is want
