"""A bare `some` after other statements moves to the front of its query (regorus:
"duplicated definition of local variable"); OPA runs it as written."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.evaluate.rego.tree import rewrite_tree
from tests.conftest import RunCli
from tests.evaluate.rego.conftest import verify_source

SOME_AFTER_LOOP = """package main
import rego.v1
pairs(rows) := [n |
    row := rows[n]
    some a, b  # declared after an iteration: regorus re-declared it per row
    row[a] == "x"
    row[b] == "y"
    a < b
]
hits contains name if {
    name := ["p", "q"][_]
    some k
    {"p": 1}[k] == 1
    k == name
}
test_some_after_loop if {
    pairs([["x", "y"], ["y", "x"], ["x", "z", "y"]]) == [0, 2]
    hits == {"p"}
}
"""


def test_some_after_an_iteration_runs_as_in_opa(run_cli: RunCli, tmp_path: Path) -> None:
    result = verify_source(run_cli, tmp_path, SOME_AFTER_LOOP)
    assert result.code == 0, result.out + result.err
    assert "1 test, 1 passed" in result.out


HEAD = "package main\nimport rego.v1\n"


@pytest.mark.parametrize(("source", "want"), [
    ("f(xs) := [i | x := xs[i]; some a; x[a] == 1]",
     "f(xs) := [i | some a; x := xs[i]; true; x[a] == 1]"),
    # its old place keeps its line breaks and comment: every line keeps its number
    ("p if {\n  x := input.a[_]\n  some k, j  # two\n  x[k] == j\n}",
     "p if {\n  some k, j; x := input.a[_]\n  true  # two\n  x[k] == j\n}"),
    # already first, or `some x in xs` (declares and iterates): left alone
    ("f(xs) := [i | some a; x := xs[i]; x[a] == 1]",
     "f(xs) := [i | some a; x := xs[i]; x[a] == 1]"),
    ("f(xs) := [i | x := xs[i]; some a in x]", "f(xs) := [i | x := xs[i]; some a in x]"),
])
def test_bare_some_moves_to_the_front(source: str, want: str) -> None:
    assert rewrite_tree(HEAD + source + "\n", "v1", "t.rego") == HEAD + want + "\n"
