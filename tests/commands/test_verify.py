from __future__ import annotations

from pathlib import Path

from tests.conftest import DATA, RunCli

REGO = DATA / "rego"


def test_all_passing_exits_0_and_reports_skipped_todo(run_cli: RunCli) -> None:
    result = run_cli("verify", "-p", str(REGO / "verify_pass"))
    assert result.code == 0, result.err
    assert "PASS: 1/2" in result.out and "SKIPPED: 1/2" in result.out
    assert result.out.rstrip().endswith(
        "2 tests, 1 passed, 0 warnings, 0 failures, 0 exceptions, 1 skipped")
    assert "data.main.test_pod_denied" not in result.out  # only failures without -v


def test_failures_exit_1_and_are_listed_with_parameterized_cases(run_cli: RunCli) -> None:
    result = run_cli("verify", "-p", str(REGO / "verify"))
    assert result.code == 1
    assert "data.main.test_wrong_expectation: FAIL (" in result.out
    assert "data.main.test_double[broken]: FAIL (" in result.out
    assert "test_double[one]" not in result.out
    assert "7 tests, 4 passed, 0 warnings, 2 failures, 0 exceptions, 1 skipped" in result.out


def test_verbose_lists_every_test_with_duration(run_cli: RunCli) -> None:
    result = run_cli("verify", "-p", str(REGO / "verify"), "-v")
    lines = result.out.splitlines()
    assert lines[0].endswith("verify/policy_test.rego:")
    assert any(line.startswith("data.main.test_pod_denied: PASS (") for line in lines)
    assert "data.main.test_double[one]: PASS" in result.out
    assert "data.main.todo_test_later: SKIPPED" in lines


def test_run_filters_by_full_name(run_cli: RunCli) -> None:
    result = run_cli("verify", "-p", str(REGO / "verify"), "-v", "--run", "test_pod")
    assert result.code == 0
    assert "1 test, 1 passed, 0 warnings, 0 failures, 0 exceptions, 0 skipped" in result.out


def test_errors_exit_2(run_cli: RunCli) -> None:
    result = run_cli("verify", "-p", str(REGO / "verify_error"))
    assert result.code == 2
    assert "data.main.test_divides_by_zero: ERROR" in result.out
    assert "policy_test.rego:4:" in result.out and "divide by zero" in result.out


def test_syntax_error_exit_2_naming_file_and_line(run_cli: RunCli) -> None:
    result = run_cli("verify", "-p", str(REGO / "broken"))
    assert result.code == 2
    assert "broken/broken.rego:" in result.err


def test_conftest_example_tests_pass(run_cli: RunCli) -> None:
    k8s = REGO / "conftest_examples" / "kubernetes"
    result = run_cli("verify", "-p", str(k8s / "policy"), "-d", str(k8s / "data"))
    assert result.code == 0, result.out
    assert "PASS: 3/3" in result.out


def test_conftest_file_data_can_be_mocked_in_tests(run_cli: RunCli) -> None:
    result = run_cli("verify", "-p", str(REGO / "conftest_file"))
    assert result.code == 0, result.out
    assert "2 tests, 2 passed" in result.out


def test_repeated_test_names_run_separately_like_opa(run_cli: RunCli) -> None:
    result = run_cli("verify", "-p", str(REGO / "verify_duplicates"), "-v")
    assert result.code == 1
    assert "data.main.test_twice: PASS (" in result.out
    assert "data.main.test_twice#01: FAIL (" in result.out
    assert "3 tests, 2 passed, 0 warnings, 1 failure, 0 exceptions, 0 skipped" in result.out


PY_FIXTURES = DATA / "verify_python"


def test_python_fixtures_pass_one_test_per_fixture_file(run_cli: RunCli) -> None:
    result = run_cli("verify", "-p", str(PY_FIXTURES / "good"), "-v")
    assert result.code == 0, result.out
    lines = result.out.splitlines()
    assert lines[0].endswith("verify_python/good/acme.py:")
    for name in ("python.ACME001/fail_privileged.yaml", "python.ACME001/pass_plain.yaml",
                 "python.ACME002/fail_option.yaml", "python.ACME002/pass_three.yaml"):
        assert any(line.startswith(f"{name}: PASS (") for line in lines), name
    assert "4 tests, 4 passed, 0 warnings, 0 failures, 0 exceptions, 0 skipped" in result.out


def test_python_fixture_failures_say_why(run_cli: RunCli) -> None:
    result = run_cli("verify", "-p", str(PY_FIXTURES / "bad"))
    assert result.code == 1
    assert "python.BAD001/pass_wrong.yaml: FAIL" in result.out
    assert "expected no finding, got: line 3: no namespace" in result.out
    assert "fail_none.yaml: expected at least one BAD001 finding, got none" in result.out
    assert "fail_wrong_line.yaml: expected findings on lines [4], got lines [3]" in result.out
    assert "3 tests, 0 passed, 0 warnings, 3 failures" in result.out


def test_python_rule_that_raises_is_an_error(run_cli: RunCli) -> None:
    result = run_cli("verify", "-p", str(PY_FIXTURES / "broken"))
    assert result.code == 2
    assert "python.BRK001/fail_raises.yaml: ERROR" in result.out
    assert "KeyError" in result.out


def test_run_filters_python_fixtures_and_mixes_with_rego(run_cli: RunCli) -> None:
    result = run_cli("verify", "-p", str(PY_FIXTURES / "good"), "-p", str(REGO / "verify_pass"),
                     "--run", "ACME002|test_pod", "-v")
    assert result.code == 0, result.out
    assert "python.ACME002/pass_three.yaml: PASS" in result.out
    assert "python.ACME001" not in result.out
    assert "3 tests, 3 passed" in result.out


def test_deprecated_v0_builtins_of_public_libraries_work(run_cli: RunCli) -> None:
    # re_match, all, any and set_diff: OPA still accepts them in v0 policies; regorus lacks
    # them, so gitops-guard provides them (gatekeeper-library's tests call re_match and all).
    result = run_cli("verify", "-p", str(DATA / "rego" / "deprecated_v0"), "--rego-version", "v0")
    assert result.code == 0, result.out + result.err
    assert result.out.strip().splitlines()[-1].startswith(
        "4 tests, 4 passed, 0 warnings, 0 failures")


def test_namespace_selects_packages_by_glob(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "a.rego").write_text("package main\ntest_a if { true }\n")
    (tmp_path / "b.rego").write_text("package other.x\ntest_b if { true }\n")
    assert "1 test, 1 passed" in run_cli("verify", "-p", str(tmp_path), "-n", "main").out
    assert "1 test, 1 passed" in run_cli("verify", "-p", str(tmp_path), "-n", "o*").out
    none = run_cli("verify", "-p", str(tmp_path), "--namespace", "nothing")
    assert (none.code, none.out.strip()) == (
        0, "0 tests, 0 passed, 0 warnings, 0 failures, 0 exceptions, 0 skipped")


def test_data_accepts_rego_library_modules(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "lib.rego").write_text("package lib\nlimit := 3\n")
    (tmp_path / "limits.yaml").write_text("extra: 4\n")
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "t.rego").write_text(
        "package main\ntest_lib if { data.lib.limit == 3; data.extra == 4 }\n")
    result = run_cli("verify", "-p", str(tmp_path / "p"), "-d", str(tmp_path / "lib.rego"),
                     "-d", str(tmp_path / "limits.yaml"))
    assert result.code == 0, result.out + result.err
    (tmp_path / "in.yaml").write_text("a: 1\n")
    (tmp_path / "p" / "deny.rego").write_text(
        'package main\ndeny contains "over" if { data.lib.limit < 5 }\n')
    check = run_cli("check", "--no-builtin", "-p", str(tmp_path / "p"),
                    "-d", str(tmp_path / "lib.rego"), str(tmp_path / "in.yaml"))
    assert check.code == 1 and "main/deny  over" in check.out
