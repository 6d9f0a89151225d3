"""OPA builtins regorus lacks, run through the embedded engine as a policy calls them."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.evaluate.rego.gofmt import go_sprintf, go_template
from tests.conftest import RunCli

JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9l"
       "IiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")

CASES = [
    ('crypto.sha256("abc")',
     '"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"'),
    ('crypto.md5("abc")', '"900150983cd24fb0d6963f7d28e17f72"'),
    ('crypto.hmac.sha256("msg", "key")',
     '"2d93cbc1be167bcb1637a4a23cbff01a7878f0c50ee833954ea5221bb1b8c628"'),
    (f'io.jwt.decode("{JWT}")[1].name', '"John Doe"'),
    ('net.cidr_merge(["10.0.0.0/25", "10.0.0.128/25", "192.168.1.1"])',
     '["10.0.0.0/24", "192.168.1.1/32"]'),
    ('net.cidr_intersects("10.0.0.0/8", "10.1.0.0/16")', "true"),
    ('net.cidr_intersects("10.0.0.0/8", "11.0.0.0/8")', "false"),
    ('net.cidr_contains_matches(["10.0.0.0/8"], ["10.1.2.3", "11.0.0.1"])', "[[0, 0]]"),
    ('strings.render_template("{{.name}} in {{.ns}}", {"name": "a", "ns": "b"})', '"a in b"'),
    ('parse_config("yaml", "a: [1, 2]").a[1]', "2"),
    ('parse_config("hcl2", "x = 1").x', "1"),
    # regex.globs_match: OPA 1.20's answers (its glob-intersection library's choices)
    # OPA's docs print `true` for their example; OPA 1.20 itself answers false
    ('regex.globs_match("a.a[0-9]+z", ".b.b2359825792*594823z")', "false"),
    ('regex.globs_match("[a-z]+", "[0-9]*")', "false"),
    ('regex.globs_match("[a-c]+b+[a-c]+", "[a-c]+")', "true"),
    ('regex.globs_match(".*[b-c]", "[ab]")', "true"),
    ('regex.globs_match("a*b*c*", "abc")', "true"),
    ('regex.globs_match("x\\\\*y", "xay")', "false"),
    ('regex.globs_match("", "")', "true"),
]


@pytest.mark.parametrize(("expr", "value"), CASES)
def test_builtin_gives_opas_value(run_cli: RunCli, tmp_path: Path, expr: str,
                                  value: str) -> None:
    (tmp_path / "t.rego").write_text(f"package main\ntest_it if {{ {expr} == {value} }}\n")
    result = run_cli("verify", "-p", str(tmp_path))
    assert result.code == 0, result.out + result.err
    assert "1 test, 1 passed" in result.out


def test_deprecated_cast_builtins_only_in_v0(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "t.rego").write_text(
        'package main\ntest_cast { cast_array({1}) == [1]; cast_set(["a", "a"]) == {"a"} }\n')
    assert run_cli("verify", "--rego-version", "v0", "-p", str(tmp_path)).code == 0


@pytest.mark.parametrize(("fmt", "args", "out"), [
    ("%v", [{"b": [1, "x"], "a": {2, 1}}], '{"a": {1, 2}, "b": [1, "x"]}'),
    ("%.2f|%d|%x|%-4s|", [3.14159, 7, "hi", "ab"], "3.14|7|6869|ab  |"),
    ("%d", [1.5], "%!d(float64=1.5)"),
    ("%s and %s", ["a"], "a and %!s(MISSING)"),
    ("%s", ["a", 1], "a%!(EXTRA int=1)"),
    ("%v %v %v", [True, None, 6.0], "true null 6"),
    ("%v", [1e21], "1e+21"),
])
def test_go_sprintf_formats_like_opa(fmt: str, args: list[object], out: str) -> None:
    assert go_sprintf(fmt, args) == out


def test_render_template_prints_missing_fields_like_go() -> None:
    assert go_template("{{ .a.b }}/{{.c}}", {"a": {"b": 1}}) == "1/<no value>"


def test_parse_config_file_reads_beside_the_policy(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "disk.tf").write_text(
        'resource "azurerm_managed_disk" "d" {\n  size = 1\n}\n')
    (tmp_path / "p" / "t.rego").write_text(
        'package main\ntest_file if { parse_config_file("disk.tf").resource'
        '.azurerm_managed_disk.d[0].size == 1 }\n')
    result = run_cli("verify", "-p", str(tmp_path / "p"))  # from another working dir
    assert result.code == 0, result.out + result.err


# object.subset as OPA 1.20 answers it (measured on OPA itself); the empty-array cases
# made regorus panic ("window size must be non-zero")
SUBSET = """package main
import rego.v1
test_empty_array_in_array if object.subset([1, 2], [])
test_empty_array_in_field if object.subset({"a": [1, 2], "b": 1}, {"a": []})
test_nested_empty if object.subset({"a": {"b": []}, "c": [3]}, {"a": {"b": []}, "c": [3]})
test_contiguous if object.subset({"a": [1, 2, 3], "x": []}, {"a": [2, 3], "x": []})
test_not_contiguous if not object.subset({"a": [1, 2, 3]}, {"a": [1, 3], "x": []})
test_nested_set_is_not_array if not object.subset({"a": [1, 3], "b": []}, {"a": {1, 3}, "b": []})
test_number_kinds if object.subset({"a": 1, "b": [[]]}, {"a": 1.0, "b": []})
test_true_is_not_one if not object.subset({"a": true, "b": [1]}, {"a": 1, "b": []})
test_missing_key if not object.subset({"a": []}, {"a": [], "z": null})
test_without_empty_array if object.subset({"a": {1, 2}, "b": [1, 2]}, {"a": {1}, "b": [2]})
"""


def test_object_subset_answers_as_opa(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "t.rego").write_text(SUBSET)
    result = run_cli("verify", "-p", str(tmp_path))
    assert "10 tests, 10 passed" in result.out, result.out + result.err


def test_globs_match_error_is_opas(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "t.rego").write_text(
        'package main\nimport rego.v1\ntest_bad if regex.globs_match("a**", "a")\n')
    result = run_cli("verify", "-p", str(tmp_path))
    assert result.code == 2
    assert "flag '*' must be preceded by a non-flag" in result.out
