"""Rego unit tests as `gitops-guard verify` runs them (testing.py): which rules are tests,
one result per parameterized case (by key or by value), repeated names across files run
separately. What verify prints and its exit codes: tests/commands/test_verify.py."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import RunCli

CASES = 'CASES := {"one": 1, "two": 2, "three": 3}\n'
NUMS = "NUMS := [1, 2, 3]\n"


@pytest.mark.parametrize(("rules", "results"), [
    ("test_ok if { 1 == 1 }\ntest_no if { 1 == 2 }\n",
     ["test_ok: PASS", "test_no: FAIL"]),
    (CASES + "test_key[name] if {\n\tsome name, n in CASES\n\tn < 3\n}\n",
     ["test_key[one]: PASS", "test_key[three]: FAIL", "test_key[two]: PASS"]),
    (NUMS + "test_value[n] if {\n\tsome n in NUMS\n\tn != 2\n}\n",
     ["test_value[1]: PASS", "test_value[2]: FAIL", "test_value[3]: PASS"]),
    ("test_empty[x] if {\n\tsome x in []\n}\n", ["test_empty: FAIL"]),
    ("f(x) := x\ntest_f if f(1) == 1\nhelper if false\n", ["test_f: PASS"]),
])
def test_each_test_and_case_is_one_result(run_cli: RunCli, tmp_path: Path, rules: str,
                                          results: list[str]) -> None:
    (tmp_path / "t.rego").write_text("package main\nimport rego.v1\n\n" + rules)
    out = run_cli("verify", "-v", "-p", str(tmp_path)).out
    shown = re.findall(r"^data\.main\.(\S+: [A-Z]+)", out, re.M)
    assert shown == results, out


def test_no_cases_says_so(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "t.rego").write_text(
        "package main\nimport rego.v1\ntest_e[x] if { some x in [] }\n")
    result = run_cli("verify", "-p", str(tmp_path))
    assert result.code == 1
    assert "parameterized test produced no cases" in result.out


def test_a_name_repeated_in_another_file_runs_separately(run_cli: RunCli,
                                                         tmp_path: Path) -> None:
    (tmp_path / "a_test.rego").write_text("package main\nimport rego.v1\ntest_x if true\n")
    (tmp_path / "b_test.rego").write_text("package main\nimport rego.v1\ntest_x if false\n")
    result = run_cli("verify", "-v", "-p", str(tmp_path))
    assert result.code == 1
    assert "data.main.test_x: PASS" in result.out
    assert "data.main.test_x#01: FAIL" in result.out
    assert "b_test.rego:" in result.out  # the failing one is listed under its own file
