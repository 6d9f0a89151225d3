"""A rule's value bound by its body, with `else`, is computed at the end of the first body
(regorus: "rules must not produce multiple outputs"), as OPA's compiler does."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.evaluate.rego.tree import rewrite_tree
from tests.conftest import RunCli
from tests.evaluate.rego.conftest import verify_source

# an undefined value falls through to `else`, as in OPA
ELSE_VALUE = """package main
import rego.v1
tiers := {"1.0.0": "old", "2.0.0": "new"}
tier(version) := tiers[best] if {
    known := [v | some v, _ in tiers; semver.compare(version, v) >= 0]
    count(known) > 0
    best := max(known)
} else := "none"
picked := tiers[k] if { k := "3.0.0" } else := "fallback"
test_else_value if {
    tier("2.1.0") == "new"
    tier("0.1.0") == "none"
    picked == "fallback"
}
"""


def test_value_with_else_runs_as_in_opa(run_cli: RunCli, tmp_path: Path) -> None:
    result = verify_source(run_cli, tmp_path, ELSE_VALUE)
    assert result.code == 0, result.out + result.err
    assert "1 test, 1 passed" in result.out


HEAD = "package main\nimport rego.v1\n"


@pytest.mark.parametrize(("source", "want"), [
    ('picked := tiers[k] if { k := "3.0.0" } else := "fallback"',
     'picked := __gg_value if { k := "3.0.0" ; __gg_value := tiers[k] } else := "fallback"'),
    ('picked := tiers[k] if {\n  k := "3.0.0"\n} else := "fallback"',
     'picked := __gg_value if {\n  k := "3.0.0"\n __gg_value := tiers[k] } else := "fallback"'),
    # a constant value, or no `else`: regorus runs it, left alone
    ('picked := "x" if { true } else := "y"', 'picked := "x" if { true } else := "y"'),
    ('picked := tiers[k] if { k := "a" }', 'picked := tiers[k] if { k := "a" }'),
])
def test_value_moves_into_the_first_body(source: str, want: str) -> None:
    assert rewrite_tree(HEAD + source + "\n", "v1", "t.rego") == HEAD + want + "\n"
