"""GG040/GG042 findings for the embedded engine's crashes, overruns and runtime errors
(crashes.py): each names the policy file and line of the rule, the input and why."""
from __future__ import annotations

import time
from pathlib import Path

from tests.conftest import RunCli
from tests.evaluate.rego.conftest import SEGFAULT, check_policy


def test_segfault_is_a_finding_at_the_rule(run_cli: RunCli, tmp_path: Path) -> None:
    code, out = check_policy(run_cli, tmp_path, SEGFAULT + 'deny contains "x" if { f(1) }\n'
                                                     'warn contains "still runs" if { true }\n')
    assert code == 1
    assert ("policy.rego:3:1: error   GG040  rego rule data.main.deny: the engine crashed "
            "(SIGSEGV) on " in out)
    assert "in.yaml (document 1); not evaluated on 1 more input\n" in out
    assert out.count("main/warn  still runs") == 2  # the other rules go on
    assert "Traceback" not in out


def test_runaway_parse_is_a_finding_naming_the_file(run_cli: RunCli, tmp_path: Path) -> None:
    nested = "[" * 20 + "1" + "]" * 20  # regorus takes most of a minute to parse it
    start = time.monotonic()
    code, out = check_policy(run_cli, tmp_path, f"x := {nested}\ndeny contains 1 if {{ x }}\n",
                       seconds=1)
    assert time.monotonic() - start < 10
    assert code == 1
    assert "GG040  rego policies not evaluated: the engine timed out after 1s" in out
    assert "while loading " in out and "policy.rego" in out


def test_runtime_error_is_undefined_with_a_warning_like_opa(run_cli: RunCli,
                                                            tmp_path: Path) -> None:
    code, out = check_policy(run_cli, tmp_path,
                       'deny contains "x" if { lower(input.a) == "1" }\n')
    assert code == 0  # OPA: a builtin's type error leaves the expression undefined
    assert ("policy.rego:2:1: warning GG042  rego rule data.main.deny: evaluation error on "
            "in.yaml (document 1): `lower` expects string argument. "
            "Got `1` instead; it yields nothing there" in out)


def test_crash_on_the_combined_input_says_so(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "policy.rego").write_text(
        "package main\n" + SEGFAULT + 'deny contains "x" if { f(1) }\n')
    (tmp_path / "in.yaml").write_text("a: 1\n---\nb: 2\n")
    result = run_cli("check", "--no-builtin", "--combine", "-p", str(tmp_path / "policy.rego"),
                     str(tmp_path / "in.yaml"))
    assert result.code == 1
    assert ("policy.rego:3:1: error   GG040  rego rule data.main.deny: the engine crashed "
            "(SIGSEGV) on the combined input\n" in result.out)
