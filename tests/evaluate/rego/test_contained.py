"""The embedded engine runs contained: crashes, panics and runaway rules end as GG040
findings (check) or ERROR results (verify) naming the policy, within the time limit."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
import regorus

from gitops_guard.evaluate.rego.contained import Failed, TaskError, run_contained
from tests.conftest import RunCli

SEGFAULT = "f(x) := f(x + 1)\n"  # unbounded recursion: regorus overflows its stack
SLOW = "count([x | some x in numbers.range(1, 30000000)]) > 0"


def _check(run_cli: RunCli, tmp_path: Path, policy: str, seconds: float = 30) -> tuple[int, str]:
    (tmp_path / "policy.rego").write_text("package main\n" + policy)
    (tmp_path / "in.yaml").write_text("a: 1\n---\nb: 2\n")
    (tmp_path / "cfg.yaml").write_text(f"timeouts:\n  policy_seconds: {seconds}\n")
    result = run_cli("check", "--no-builtin", "--config", str(tmp_path / "cfg.yaml"),
                     "-p", str(tmp_path / "policy.rego"), str(tmp_path / "in.yaml"))
    return result.code, result.out + result.err


def test_segfault_is_a_finding_at_the_rule(run_cli: RunCli, tmp_path: Path) -> None:
    code, out = _check(run_cli, tmp_path, SEGFAULT + 'deny contains "x" if { f(1) }\n'
                                                     'warn contains "still runs" if { true }\n')
    assert code == 1
    assert ("policy.rego:3:1: error   GG040  rego rule data.main.deny: the engine crashed "
            "(SIGSEGV) on " in out)
    assert "in.yaml (document 1); not evaluated on 1 more input\n" in out
    assert out.count("main/warn  still runs") == 2  # the other rules go on
    assert "Traceback" not in out


def test_rust_panic_fails_the_task_not_the_run() -> None:
    # regorus itself, called without gitops-guard's rewrites: this call panics in Rust
    panicking = 'y := object.subset({"a": [1]}, {"a": []})'
    results = run_contained(lambda _: regorus.Engine(), [panicking, "y := 1"],
                            lambda engine, query: engine.eval_query(query)["result"],
                            seconds=30, group=lambda _: 0)
    assert results[0] == Failed("panicked (window size must be non-zero)")
    assert results[1] == Failed("panicked (window size must be non-zero)", skipped=True)


def test_former_panic_answers_as_opa(run_cli: RunCli, tmp_path: Path) -> None:
    # the same call in a policy goes through the object.subset wrapper (rewrite.py)
    code, out = _check(run_cli, tmp_path,
                       'deny contains "x" if { object.subset({"a": [1]}, {"a": []}) }\n')
    assert code == 1
    assert out.count("main/deny  x") == 2
    assert "GG040" not in out and "Traceback" not in out


def test_runaway_rule_stops_at_policy_seconds(run_cli: RunCli, tmp_path: Path) -> None:
    start = time.monotonic()
    code, out = _check(run_cli, tmp_path, f'deny contains "x" if {{ {SLOW} }}\n', seconds=1)
    assert time.monotonic() - start < 10
    assert code == 1
    assert "GG040  rego rule data.main.deny: the engine timed out after 1s" in out


def test_runaway_parse_is_a_finding_naming_the_file(run_cli: RunCli, tmp_path: Path) -> None:
    nested = "[" * 20 + "1" + "]" * 20  # regorus takes most of a minute to parse it
    start = time.monotonic()
    code, out = _check(run_cli, tmp_path, f"x := {nested}\ndeny contains 1 if {{ x }}\n",
                       seconds=1)
    assert time.monotonic() - start < 10
    assert code == 1
    assert "GG040  rego policies not evaluated: the engine timed out after 1s" in out
    assert "while loading " in out and "policy.rego" in out


def test_syntax_errors_still_exit_2_naming_file_and_line(run_cli: RunCli,
                                                         tmp_path: Path) -> None:
    code, out = _check(run_cli, tmp_path, "deny contains msg if {\n")
    assert code == 2
    assert "policy.rego:" in out and "rego error" in out


def test_verify_reports_crashes_as_errors_and_runs_the_rest(run_cli: RunCli,
                                                            tmp_path: Path) -> None:
    (tmp_path / "t.rego").write_text(
        "package main\n" + SEGFAULT + "test_seg if { f(1) }\n"
        "test_ok if { true }\ntest_also_ok if { object.subset([1, 2], []) }\n")
    result = run_cli("verify", "-p", str(tmp_path))
    assert result.code == 2
    assert "data.main.test_seg: ERROR (0µs)\n  the rego engine crashed (SIGSEGV)" in result.out
    assert ("3 tests, 2 passed, 0 warnings, 0 failures, 0 exceptions, 0 skipped, 1 error"
            in result.out)


def _prepare(stage: object) -> list[int]:
    return []


def _run(engine: list[int], task: int) -> int:
    if task == 3:
        raise ValueError("three")
    if task % 10 == 5:
        import os
        import signal
        os.kill(os.getpid(), signal.SIGSEGV)
    return task * 2


@pytest.mark.parametrize("count", [0, 1, 26])
def test_runner_keeps_order_and_skips_a_failed_group(count: int) -> None:
    results = run_contained(_prepare, list(range(count)), _run, seconds=5,
                            group=lambda t: t % 2)
    for task, result in enumerate(results):
        if task == 3:
            assert isinstance(result, TaskError) and str(result.error) == "three"
        elif task == 5:
            assert result == Failed("crashed (SIGSEGV)")
        elif task % 2 == 1 and task > 5:  # the odd group crashed at 5
            assert result == Failed("crashed (SIGSEGV)", skipped=True)
        else:
            assert result == task * 2
    assert len(results) == count


def test_runtime_error_is_undefined_with_a_warning_like_opa(run_cli: RunCli,
                                                            tmp_path: Path) -> None:
    code, out = _check(run_cli, tmp_path,
                       'deny contains "x" if { lower(input.a) == "1" }\n')
    assert code == 0  # OPA: a builtin's type error leaves the expression undefined
    assert ("policy.rego:2:1: warning GG042  rego rule data.main.deny: evaluation error on "
            "in.yaml (document 1): `lower` expects string argument. "
            "Got `1` instead; it yields nothing there" in out)
