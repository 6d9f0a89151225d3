"""Temporary directories that never outlive the run, and SIGTERM handled like Ctrl-C.

Every temporary tree gitops-guard makes is named `gitops-guard-<purpose>-<pid>-*` in
the system temp dir and removed when its block exits, on Ctrl-C and SIGTERM too
(`cleanup_on_signals`). SIGKILL cannot be caught: the next run's first `scratch_dir`
removes the trees of gitops-guard processes that no longer exist.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

PREFIX = "gitops-guard-"
_OWNED = re.compile(rf"^{PREFIX}[a-z]+-(\d+)-")
_swept = False


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def sweep_stale(folder: Path | None = None) -> list[Path]:
    """Remove the temp trees left by gitops-guard runs that were killed; returns them."""
    base = Path(folder or tempfile.gettempdir())
    removed: list[Path] = []
    try:
        entries = list(os.scandir(base))
    except OSError:
        return removed
    for entry in entries:
        match = _OWNED.match(entry.name)
        if not match or int(match.group(1)) == os.getpid() or pid_alive(int(match.group(1))):
            continue
        try:
            if entry.is_dir(follow_symlinks=False) and entry.stat(
                    follow_symlinks=False).st_uid == os.getuid():
                shutil.rmtree(entry.path, ignore_errors=True)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def make_scratch(purpose: str) -> Path:
    """A new private temp dir; the caller removes it (prefer `scratch_dir`)."""
    global _swept
    if not _swept:
        _swept = True
        sweep_stale()
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{purpose}-{os.getpid()}-"))


@contextlib.contextmanager
def scratch_dir(purpose: str) -> Iterator[Path]:
    """A temp dir for the block, always removed afterwards."""
    path = make_scratch(purpose)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


class Terminated(KeyboardInterrupt):
    """SIGTERM, turned into an exception so cleanup code runs."""


@contextlib.contextmanager
def cleanup_on_signals() -> Iterator[None]:
    """SIGTERM behaves like Ctrl-C (KeyboardInterrupt) inside the block."""
    def handler(signum: int, frame: FrameType | None) -> None:
        raise Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: nothing to install
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
