"""The command line's frame (gitops_guard/cli.py): which command runs, and how every way a
run can end reaches the user: an exit code and one line, never a traceback."""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from gitops_guard.cli import ISSUES_URL, build_parser, command_in, main
from gitops_guard.commands import COMMANDS
from gitops_guard.errors import ConfigError
from tests.conftest import RunCli

GUARD = Path(sys.executable).with_name("gitops-guard")


@pytest.mark.parametrize(("argv", "command"), [
    (["check", "a.yaml"], "check"), (["-C", "repo", "diff", "--base", "main"], "diff"),
    (["-C", "check"], None),  # `check` is -C's directory here
    (["--", "ci"], "ci"), (["--version"], None), ([], None)])
def test_the_command_is_the_first_word_that_is_no_option(argv: list[str],
                                                         command: str | None) -> None:
    assert command_in(argv) == command


def test_only_the_command_run_is_built_the_others_are_listed() -> None:
    parser = build_parser("policies")
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert list(sub.choices) == list(COMMANDS)
    assert sub.choices["policies"]._actions != sub.choices["check"]._actions
    assert [a.dest for a in sub.choices["check"]._actions] == ["help"]  # a stub


def test_no_command_is_the_help_and_exit_2(run_cli: RunCli) -> None:
    result = run_cli()
    assert result.code == 2 and "usage: gitops-guard" in result.err


def test_a_missing_dash_c_dir_is_exit_2(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("-C", str(tmp_path / "nope"), "policies", "list")
    assert result.code == 2
    assert result.err == f"gitops-guard: error: -C {tmp_path / 'nope'}: No such file or " \
                         "directory\n"


def _failing(monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
    def fail(args: argparse.Namespace) -> int:
        raise exc
    monkeypatch.setattr("gitops_guard.commands.policies.cmd_policies", fail)


@pytest.mark.parametrize(("exc", "code", "err"), [
    (ConfigError("x.yaml:3: bad"), 2, "gitops-guard: error: x.yaml:3: bad\n"),
    (KeyboardInterrupt(), 130, "gitops-guard: interrupted\n"),
    (ZeroDivisionError("division by zero"), 3,
     "gitops-guard: internal error: ZeroDivisionError: division by zero\nThis is a bug; "
     f"please report it at {ISSUES_URL} (set GITOPS_GUARD_DEBUG=1 for the traceback).\n"),
], ids=["a GuardError", "Ctrl-C", "a bug"])
def test_how_a_run_ends(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch,
                        exc: BaseException, code: int, err: str) -> None:
    monkeypatch.delenv("GITOPS_GUARD_DEBUG", raising=False)
    _failing(monkeypatch, exc)
    result = run_cli("policies", "list")
    assert (result.code, result.err) == (code, err)


def test_debug_shows_the_traceback_of_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITOPS_GUARD_DEBUG", "1")
    _failing(monkeypatch, ZeroDivisionError("division by zero"))
    with pytest.raises(ZeroDivisionError):
        main(["policies", "list"])


@pytest.mark.parametrize("argv", [["check", "--no-cache", "MANIFEST"], ["policies", "list"]])
def test_a_closed_pipe_ends_quietly(tmp_path: Path, argv: list[str]) -> None:
    """`gitops-guard check | head -0` (or a reader that leaves before the report is out):
    no traceback, no 'internal error', never exit 3."""
    manifest = tmp_path / "cm.yaml"
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    argv = [str(manifest) if a == "MANIFEST" else a for a in argv]
    # restore_signals=False: SIGPIPE ignored, as Python and most CI runners leave it, so
    # the write fails with EPIPE instead of the signal ending the process.
    proc = subprocess.Popen([str(GUARD), *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, restore_signals=False)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader leaves before anything is written
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=60)
    assert err == ""
    assert code in (0, 1, 141)  # the command's own code, or 141 when cut off mid-report
