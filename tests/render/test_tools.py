"""Running the render stage's tools: argument lists, a timeout that kills the whole process
group, stdin, a missing binary as a failed run (real subprocesses)."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from gitops_guard.errors import ToolMissingError
from gitops_guard.render.tools import kustomize_command, render_timeout, run_tool, tool_identity

PY = sys.executable


def test_a_run_gives_its_exit_code_and_output() -> None:
    run = run_tool([PY, "-c", "import sys; print('out'); print('err', file=sys.stderr); "
                              "sys.exit(3)"])
    assert (run.returncode, run.stdout, run.stderr, run.timed_out) == (3, "out\n", "err\n",
                                                                        False)


def test_stdin_is_given_or_empty() -> None:
    echo = [PY, "-c", "import sys; print(repr(sys.stdin.read()))"]
    assert run_tool(echo, stdin="secret via stdin").stdout == "'secret via stdin'\n"
    assert run_tool(echo).stdout == "''\n"


def test_a_timeout_kills_the_tool_and_what_it_started(tmp_path: Path) -> None:
    pid_file = tmp_path / "grandchild.pid"
    started = time.monotonic()
    with render_timeout(0.5):  # sh starts in a millisecond: the grandchild is up in time
        run = run_tool(["sh", "-c", f"sleep 60 & echo $! > {pid_file}; wait"])
    assert (run.returncode, run.timed_out, run.seconds) == (124, True, 0.5)
    assert run.stderr == "sh timed out after 0.5s"
    assert time.monotonic() - started < 10
    grandchild = int(pid_file.read_text())
    for _ in range(100):  # the whole group was killed: the grandchild is gone (or a zombie)
        stat = Path(f"/proc/{grandchild}/stat")
        if not stat.exists() or stat.read_text().split()[2] == "Z":
            break
        time.sleep(0.02)
    else:
        pytest.fail("the tool's child outlived the timeout")


def test_a_missing_binary_is_a_failed_run_not_a_traceback(tmp_path: Path) -> None:
    run = run_tool([str(tmp_path / "no-such-tool")])
    assert run.returncode == 127 and "No such file" in run.stderr


def test_kustomize_is_kustomize_build_or_kubectl_kustomize(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ToolMissingError):
        kustomize_command()
    kubectl = tmp_path / "kubectl"
    kubectl.write_text("#!/bin/sh\n")
    kubectl.chmod(0o755)
    assert kustomize_command() == [str(kubectl), "kustomize"]
    (tmp_path / "kustomize").write_text("#!/bin/sh\n")
    (tmp_path / "kustomize").chmod(0o755)
    assert kustomize_command() == [str(tmp_path / "kustomize"), "build"]


def test_tool_identity_changes_when_the_binary_does(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert tool_identity("helm") == "helm:absent"
    helm = tmp_path / "helm"
    helm.write_text("#!/bin/sh\n")
    helm.chmod(0o755)
    before = tool_identity("helm")
    helm.write_text("#!/bin/sh\necho v4\n")
    os.utime(helm, ns=(1, 2_000_000_000))
    assert tool_identity("helm") != before
