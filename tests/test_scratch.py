"""Temporary trees never outlive the run (gitops_guard/scratch.py): removed when their
block ends, SIGTERM included; those of killed runs are swept by the next one."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from gitops_guard import scratch
from gitops_guard.scratch import (
    Terminated,
    cleanup_on_signals,
    pid_alive,
    scratch_dir,
    sweep_stale,
)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_pid_alive() -> None:
    assert pid_alive(os.getpid())
    assert not pid_alive(_dead_pid())
    assert not pid_alive(0) and not pid_alive(-1)


def test_a_scratch_dir_is_named_for_its_run_and_removed_after_its_block() -> None:
    with scratch_dir("render") as path:
        assert path.name.startswith(f"gitops-guard-render-{os.getpid()}-")
        (path / "f").write_text("x")
    assert not path.exists()
    with pytest.raises(RuntimeError), scratch_dir("render") as path:
        raise RuntimeError
    assert not path.exists()


def test_sweep_removes_only_the_trees_of_dead_runs(tmp_path: Path) -> None:
    dead, alive = _dead_pid(), os.getpid()
    names = [f"gitops-guard-base-{dead}-x1", f"gitops-guard-base-{alive}-x2",
             f"other-{dead}-x3", f"gitops-guard-Base-{dead}-x4"]
    for name in names:
        (tmp_path / name).mkdir()
    assert sweep_stale(tmp_path) == [tmp_path / names[0]]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[1:])


def test_sigterm_inside_the_block_is_an_interrupt_and_the_handler_is_restored() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(Terminated), cleanup_on_signals():
        os.kill(os.getpid(), signal.SIGTERM)
        signal.pause()  # not reached: the handler raises first
    assert signal.getsignal(signal.SIGTERM) == before
    assert issubclass(Terminated, KeyboardInterrupt)  # handled where Ctrl-C is


def test_the_first_scratch_dir_of_a_run_sweeps(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scratch, "_swept", False)
    monkeypatch.setattr(scratch.tempfile, "tempdir", str(tmp_path))
    stale = tmp_path / f"gitops-guard-base-{_dead_pid()}-old"
    stale.mkdir()
    with scratch_dir("plan"):
        assert not stale.exists()
