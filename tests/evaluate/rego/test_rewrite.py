"""Valid Rego that regorus rejects runs after a rewrite that keeps every line number."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.evaluate.rego.rewrite import rewrite
from gitops_guard.evaluate.rego.tree import rewrite_tree
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
# a rule whose value is a reference bound by its body, with `else` (regorus: "multiple
# outputs"); an undefined value falls through to `else`, as in OPA
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
# `not f(x, input.missing)`: OPA computes the arguments first, so the statement is
# undefined; regorus made `not` true
NOT_ARGS = r"""package main
import rego.v1
deny contains "no AlwaysPull" if {
    some arg in input.args
    found := regex.find_all_string_submatch_n(`--plugins=(\S+)`, arg, -1)
    not regex.match("AlwaysPull", found[0][1])
}
accept("any", _, _) := true
accept("range", v, ranges) if { some r in ranges; v >= r.min; v <= r.max }
deny contains "user" if {
    rule := input.rule.kind
    not accept(rule, input.user, input.rule.ranges)
}
test_not_with_missing_argument if {
    count(deny) == 0 with input as {"args": ["kube-apiserver", "--plugins=AlwaysPull"]}
    deny == {"no AlwaysPull"} with input as {"args": ["x", "--plugins=Other"]}
    count(deny) == 0 with input as {"rule": {"kind": "any"}, "user": 0}
    ranged := {"kind": "range", "ranges": [{"min": 1, "max": 2}]}
    deny == {"user"} with input as {"rule": ranged, "user": 0}
}
test_not_still_true_for_plain_refs if {
    not input.missing
    not input.missing == 1
}
"""
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
LATE_IMPORT = """package main
import rego.v1
test_late_import if { b.x == 1 }
import data.b # after a rule, as trivy-checks writes it
"""


@pytest.mark.parametrize(("source", "version"), [(MULTI_BODY, "v0"), (LATE_IMPORT, "v1"),
                                                 (SOME_AFTER_LOOP, "v1"), (ELSE_VALUE, "v1"),
                                                 (NOT_ARGS, "v1"), (WITH_BY_NAME, "v1")])
def test_rewritten_policy_keeps_lines(source: str, version: str) -> None:
    text = rewrite_tree(rewrite(source, version), version, "t.rego", "main",
                        frozenset({"allowed", "deny", "fake"}))
    assert text.count("\n") == source.count("\n")


@pytest.mark.parametrize(("source", "version"), [(MULTI_BODY, "v0"), (LATE_IMPORT, "v1"),
                                                 (SELF_INDEX, "v0"), (SOME_AFTER_LOOP, "v1"),
                                                 (ELSE_VALUE, "v1"), (NOT_ARGS, "v1"),
                                                 (WITH_BY_NAME, "v1")])
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
