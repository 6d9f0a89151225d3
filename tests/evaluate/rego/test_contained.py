"""The embedded engine runs contained: crashes, panics and runaway rules end within the time
limit, the other rules and inputs go on, and verify reports them as ERROR results. The
GG040/GG042 findings they become are tested in test_crashes.py."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
import regorus

from gitops_guard.evaluate.rego.contained import Failed, TaskError, run_contained
from tests.conftest import RunCli
from tests.evaluate.rego.conftest import SEGFAULT, check_policy

SLOW = "count([x | some x in numbers.range(1, 30000000)]) > 0"


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
    code, out = check_policy(run_cli, tmp_path,
                       'deny contains "x" if { object.subset({"a": [1]}, {"a": []}) }\n')
    assert code == 1
    assert out.count("main/deny  x") == 2
    assert "GG040" not in out and "Traceback" not in out


def test_runaway_rule_stops_at_policy_seconds(run_cli: RunCli, tmp_path: Path) -> None:
    start = time.monotonic()
    code, out = check_policy(run_cli, tmp_path, f'deny contains "x" if {{ {SLOW} }}\n', seconds=1)
    assert time.monotonic() - start < 10
    assert code == 1
    assert "GG040  rego rule data.main.deny: the engine timed out after 1s" in out


def test_syntax_errors_still_exit_2_naming_file_and_line(run_cli: RunCli,
                                                         tmp_path: Path) -> None:
    code, out = check_policy(run_cli, tmp_path, "deny contains msg if {\n")
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
