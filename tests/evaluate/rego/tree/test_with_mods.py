"""`with` as OPA's compiler reads it: a rule of the package by name, and a value that reads
a rule evaluated in the enclosing context."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.evaluate.rego.tree import rewrite_tree
from tests.conftest import RunCli
from tests.evaluate.rego.conftest import verify_source

# `with NAME as` where NAME is a rule of the package (regorus: "undefined rule")
WITH_BY_NAME = """package main
import rego.v1
allowed := {"a"}
deny contains name if {
    name := input.names[_]
    not name in allowed
}
fake := {"z"}
test_with_rule_by_name if {
    r := deny with input as {"names": ["a", "z"]} with allowed as fake
    r == {"a"}
}
"""


def test_with_a_rule_by_name(run_cli: RunCli, tmp_path: Path) -> None:
    result = verify_source(run_cli, tmp_path, WITH_BY_NAME)
    assert result.code == 0, result.out + result.err
    assert "1 test, 1 passed" in result.out


def test_with_value_reading_the_checked_package(run_cli: RunCli, tmp_path: Path) -> None:
    # regorus evaluated `check.version` inside the value under the new input, and lost it
    (tmp_path / "policy.rego").write_text(
        'package check\nimport rego.v1\nversion := "v2"\nfine(d) := d.v == version\n'
        'deny contains "old" if {\n    not fine(input)\n}\n')
    (tmp_path / "policy_test.rego").write_text(
        "package check_test\nimport rego.v1\nimport data.check\n"
        'wrap(v) := {"names": ["a"], "v": v}\n'
        "test_with_value_reading_a_rule if {\n"
        "    r := check.deny with input as wrap(\n"
        "        check.version, # a comment inside the value\n"
        "    )\n    count(r) == 0\n}\n")
    result = run_cli("verify", "-p", str(tmp_path))
    assert "1 test, 1 passed" in result.out, result.out + result.err


HEAD = "package main\nimport rego.v1\n"


@pytest.mark.parametrize(("body", "want"), [
    ('r := deny with allowed as {"a"}', 'r := deny with data.main.allowed as {"a"}'),
    ('r := deny with input as {"a": x}', '__gg_w0 := {"a": x}; r := deny with input as __gg_w0'),
    # the value on one line, comments dropped; its place keeps the line breaks
    ("r := deny with input as f(\n  1, # c\n)",
     "__gg_w0 := f(   1,  ); r := deny with input as __gg_w0\n\n"),
    # a constant, or a name that is no rule of the package: left alone
    ('r := deny with input as {"a": 1}', 'r := deny with input as {"a": 1}'),
    ('r := deny with data.x.y as {"a"}', 'r := deny with data.x.y as {"a"}'),
])
def test_with_rewrites(body: str, want: str) -> None:
    text = rewrite_tree(f"{HEAD}t if {{ {body} }}\n", "v1", "t.rego", "main",
                        frozenset({"allowed", "deny"}))
    assert text == f"{HEAD}t if {{ {want} }}\n"
