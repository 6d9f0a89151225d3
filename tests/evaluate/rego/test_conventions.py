"""conftest's conventions: which rules count, how exceptions name them, and the tally
conftest prints (`N tests, N passed, N warnings, N failures, N exceptions`)."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.evaluate.options import RegoOptions
from gitops_guard.evaluate.rego import evaluate_rego_outcome
from gitops_guard.evaluate.rego.conventions import Tally, exception_name, is_check_rule
from gitops_guard.load import load_bytes
from gitops_guard.model import PolicyTally


@pytest.mark.parametrize(("name", "counts"), [
    ("deny", True), ("violation", True), ("warn", True), ("deny_root", True),
    ("warn_no_ns_2", True), ("denied", False), ("deny_", False), ("exception", False),
    ("test_deny", False),
])
def test_check_rules(name: str, counts: bool) -> None:
    assert is_check_rule(name) is counts


@pytest.mark.parametrize(("rule", "listed_as"), [
    ("deny", ""), ("warn", ""), ("violation", ""), ("deny_run_as_root", "run_as_root"),
    ("warn_x", "x"), ("violation_lb", "lb"),
])
def test_exception_names(rule: str, listed_as: str) -> None:
    assert exception_name(rule) == listed_as


@pytest.mark.parametrize(("tally", "line"), [
    (Tally(), "0 tests, 0 passed, 0 warnings, 0 failures, 0 exceptions"),
    (Tally(1, 0, 0, 1, 0), "1 test, 0 passed, 0 warnings, 1 failure, 0 exceptions"),
    (Tally(2, 0, 0, 1, 1), "2 tests, 0 passed, 0 warnings, 1 failure, 1 exception"),
    (Tally(5, 4, 1, 0, 0), "5 tests, 4 passed, 1 warning, 0 failures, 0 exceptions"),
])
def test_tally_in_conftests_words(tally: Tally, line: str) -> None:
    assert str(tally) == str(tally.frozen()) == line


def test_tallies_add_up_and_none_means_no_rego() -> None:
    assert PolicyTally.total([None, None]) is None
    assert PolicyTally.total([PolicyTally(2, 1, 1, 0, 0), None, PolicyTally(1, 0, 0, 1, 0)]) \
        == PolicyTally(3, 1, 1, 1, 0)


POLICY = """package main
import rego.v1
deny contains "no name" if not input.metadata.name
deny_kind contains "a Pod" if input.kind == "Pod"
warn contains "no labels" if not input.metadata.labels
exception contains ["kind"] if input.metadata.name == "exempt"
"""
INPUTS = b"""kind: Pod
metadata: {name: p, labels: {a: b}}
---
kind: Pod
metadata: {name: exempt}
---
kind: Service
metadata: {labels: {a: b}}
"""


def test_each_rule_per_input_is_one_test(tmp_path: Path) -> None:
    (tmp_path / "p.rego").write_text(POLICY)
    docs = load_bytes(INPUTS, "in.yaml").documents
    outcome = evaluate_rego_outcome(docs, RegoOptions(policy_paths=(str(tmp_path),)))
    # 3 inputs x 3 rules: Pod p fails deny_kind; exempt's deny_kind is an exception and it
    # warns; the Service fails deny
    assert outcome.tally.frozen() == PolicyTally(tests=9, passed=5, warnings=1, failures=2,
                                                 exceptions=1)
