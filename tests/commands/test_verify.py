from __future__ import annotations

from tests.conftest import DATA, RunCli

REGO = DATA / "rego"


def test_all_passing_exits_0_and_reports_skipped_todo(run_cli: RunCli) -> None:
    result = run_cli("verify", "-p", str(REGO / "verify_pass"))
    assert result.code == 0, result.err
    assert "PASS: 1/2" in result.out and "SKIPPED: 1/2" in result.out
    assert result.out.rstrip().endswith("2 tests, 1 passed, 0 failed, 1 skipped, 0 errors")
    assert "data.main.test_pod_denied" not in result.out  # only failures without -v


def test_failures_exit_1_and_are_listed_with_parameterized_cases(run_cli: RunCli) -> None:
    result = run_cli("verify", "-p", str(REGO / "verify"))
    assert result.code == 1
    assert "data.main.test_wrong_expectation: FAIL (" in result.out
    assert "data.main.test_double[broken]: FAIL (" in result.out
    assert "test_double[one]" not in result.out
    assert "7 tests, 4 passed, 2 failed, 1 skipped, 0 errors" in result.out


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
    assert "1 tests, 1 passed, 0 failed, 0 skipped, 0 errors" in result.out


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
