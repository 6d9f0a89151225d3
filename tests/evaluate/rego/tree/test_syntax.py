"""regorus's syntax tree and the byte ranges taken from it."""
from __future__ import annotations

import pytest

from gitops_guard.evaluate.rego.tree.syntax import (
    apply_edits,
    comprehensions,
    offset,
    queries,
    span,
    syntax_tree,
    var_spans,
)

SOURCE = ("package p\nimport rego.v1\nf(x) := [y | y := x[_]; y > 1]\ns := {k | k := \"é\"}\n"
          "t if { count(s) > 0 }\n")


def test_text_regorus_cannot_parse_has_no_tree() -> None:
    assert syntax_tree("package p\nq := 1 +\n", "v1", "bad.rego") is None
    assert syntax_tree("package p\np[x] { x := 1 }\n", "v1", "v0.rego") is None
    assert syntax_tree("package p\np[x] { x := 1 }\n", "v0", "v0.rego") is not None


def test_walks_find_nested_queries_comprehensions_and_variables() -> None:
    tree = syntax_tree(SOURCE, "v1", "p.rego")
    assert len(list(comprehensions(tree))) == 2
    assert len(list(queries(tree))) == 3  # t's body and both comprehensions' bodies
    data = SOURCE.encode()
    assert {data[a:b] for a, b in var_spans(tree, "y")} == {b"y"}
    assert len(list(var_spans(tree, "y"))) == 3


def test_spans_are_bytes_past_non_ascii_text() -> None:
    tree = syntax_tree(SOURCE + 'z := {"é": 1, "b": [1]}\n', "v1", "p.rego")
    data = (SOURCE + 'z := {"é": 1, "b": [1]}\n').encode()
    value = tree["rules"][-1]["Spec"]["head"]["Compr"]["assign"]["value"]
    start, end = span(value, data)
    assert data[start:end] == '{"é": 1, "b": [1]}'.encode()


@pytest.mark.parametrize(("data", "line", "col", "want"), [
    (b"ab\ncd", 2, 2, 4),
    (b"a\n\tx", 2, 5, 3),  # a tab counts 4 columns
    ("é\nx".encode(), 1, 2, 2),  # columns are characters, offsets bytes
    (b"ab", 1, 9, 2),  # past the end of the line: its end
])
def test_offset_of_line_and_column(data: bytes, line: int, col: int, want: int) -> None:
    assert offset(data, line, col) == want


def test_edits_apply_last_first() -> None:
    assert apply_edits(b"a b c", [(0, 1, b"xx"), (4, 5, b"zz"), (2, 2, b"+")]) == b"xx +b zz"
