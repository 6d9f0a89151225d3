"""Valid Rego that regorus rejects runs after a text rewrite (rewrite.py) that keeps every
line number; the syntax-tree rewrites are tested in tree/."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.evaluate.rego.rewrite import rewrite
from tests.conftest import DATA, RunCli

MULTI_BODY = """package main
p[x] { x := 1 } { x := "}" }
r[x] {
  x := 3
} {
  x := 4
}
s = 1 { false } else = 2 { true }
test_bodies { p == {1, "}"}; r == {3, 4}; s == 2 }
"""
SELF_INDEX = """package main
containers[c] { c := {"a", "b"}[_] }
apiserver[container] {
    container = containers[container]
    container != "b"
}
test_self_index { apiserver == {"a"} }
"""
LATE_IMPORT = """package main
import rego.v1
test_late_import if { b.x == 1 }
import data.b # after a rule, as trivy-checks writes it
"""


@pytest.mark.parametrize(("source", "version"), [(MULTI_BODY, "v0"), (LATE_IMPORT, "v1"),
                                                 (SELF_INDEX, "v0")])
def test_rewritten_policy_keeps_lines(source: str, version: str) -> None:
    text = rewrite(source, version)
    assert text != source
    assert text.count("\n") == source.count("\n")


@pytest.mark.parametrize(("source", "version"), [(MULTI_BODY, "v0"), (LATE_IMPORT, "v1"),
                                                 (SELF_INDEX, "v0")])
def test_opa_constructs_regorus_rejects_run(run_cli: RunCli, tmp_path: Path, source: str,
                                            version: str) -> None:
    (tmp_path / "t.rego").write_text(source)
    (tmp_path / "b.rego").write_text("package b\nx := 1\n")
    result = run_cli("verify", "--rego-version", version, "-p", str(tmp_path))
    assert result.code == 0, result.out + result.err
    assert "0 failures" in result.out


def test_lines_past_1024_columns_load(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "t.rego").write_text(
        f'package main\nlong := "{"x" * 3000}"\ntest_long if {{ count(long) == 3000 }}\n')
    assert run_cli("verify", "-p", str(tmp_path)).code == 0


def test_errors_after_a_rewrite_name_the_original_line(run_cli: RunCli,
                                                       tmp_path: Path) -> None:
    (tmp_path / "t.rego").write_text("package main\nimport rego.v1\np := 1\nimport data.b\n"
                                     "\n\nq := 1 +\n")
    result = run_cli("verify", "-p", str(tmp_path))
    assert result.code == 2 and "t.rego:" in result.err
    assert "t.rego:1:" not in result.err  # the hoisted import does not move the error


SPRINTF = """package main
import rego.v1
results := {{"msg": "a"}}
test_missing if { sprintf("%s and %s", ["x"]) == "x and %!s(MISSING)" }
test_float_d if { sprintf("%d|%.1f|%x", [1.5, 2.25, "hi"]) == "%!d(float64=1.5)|2.2|6869" }
test_set_of_objects if { sprintf("<%v>", [results]) == `<{{"msg": "a"}}>` }
test_paren_line if {
    x := 3
    (x - 1) >= 2
}
"""


def test_sprintf_and_paren_lines_behave_as_in_opa(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "t.rego").write_text(SPRINTF)
    result = run_cli("verify", "-p", str(tmp_path))
    assert result.code == 0, result.out + result.err
    assert "4 tests, 4 passed" in result.out


def test_a_value_before_a_body_is_not_a_second_body() -> None:
    source = 'package a\nf(x) = {"k": x} {\n  true\n}\np[x] { x := 1 } { x := 2 }\n'
    assert rewrite(source, "v0") == source.replace("} { x := 2", "} p[x] { x := 2")


HEAD_REF = """package main
default pod := false
pod := input.spec if input.kind == "Pod"
vols contains pod.spec.volumes[_]
test_head_ref_is_undefined_not_an_error if { count(vols) == 0 }
test_head_ref_members if { vols == {1, 2} with input as {"kind": "Pod", "spec": {"spec": {
    "volumes": [1, 2]}}} }
"""


def test_a_missing_field_in_a_set_rule_head_yields_nothing(run_cli: RunCli,
                                                           tmp_path: Path) -> None:
    (tmp_path / "t.rego").write_text(HEAD_REF)
    result = run_cli("verify", "-p", str(tmp_path))
    assert result.code == 0, result.out + result.err
    assert "2 tests, 2 passed" in result.out




OPA_SEMANTICS = DATA / "rego" / "opa_semantics"  # policies, their tests, deployments.yaml


def _check_json(run_cli: RunCli, *policies: str) -> tuple[int, list[tuple[str, str, str]]]:
    result = run_cli("check", "--rego-version", "v0", "--no-builtin", "--no-schema", "-o",
                     "json", *(a for p in policies for a in ("-p", str(OPA_SEMANTICS / p))),
                     str(OPA_SEMANTICS / "deployments.yaml"))
    return result.code, [(f["rule_id"], f["resource"]["name"], f["message"])
                         for f in result.json()["findings"]]


def test_object_get_on_null_is_undefined_as_in_opa(run_cli: RunCli) -> None:
    # konstraint's `not has_field(null, "podAntiAffinity")` holds: the field is missing
    # (regorus's type error dropped the rule, and the run passed)
    code, findings = _check_json(run_cli, "policy/affinity.rego", "policy/lib")
    assert findings == [("main/violation", "web",
                         "Deployment/web: spec.affinity.podAntiAffinity not set")]
    assert code == 1


def test_opa_semantics_policy_tests_pass_under_verify(run_cli: RunCli) -> None:
    result = run_cli("verify", "--rego-version", "v0", "-p", str(OPA_SEMANTICS / "policy"))
    assert result.code == 0, result.out + result.err
    assert "4 tests, 4 passed, 0 warnings, 0 failures" in result.out
