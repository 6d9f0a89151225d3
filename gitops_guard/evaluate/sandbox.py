"""Containment for policy code: a watchdog that bounds each rule call, and silence for
whatever a policy prints.

Bounded: each call of a rule may take `timeout_seconds` (config
`timeouts.policy_seconds`). A watchdog (SIGALRM every fraction of the limit, installed
once per run, so a call costs two attribute writes) raises `PolicyTimeout` inside the
rule that overran. Limits, documented in docs/security.md: the watchdog needs the main
thread of a POSIX process (elsewhere rules run unbounded), and it cannot interrupt one
long call into C code (a single catastrophic regex) nor a rule that swallows
BaseException in a loop.

Silent: whatever a policy prints while loading or evaluating (print, sys.stdout,
sys.__stdout__, os.write to fd 1 or 2, a child process) is dropped, so a policy cannot
write into a report or leak a value into the CI log.
"""
from __future__ import annotations

import contextlib
import io
import os
import signal
import sys
from collections.abc import Iterator
from types import FrameType

DEFAULT_TIMEOUT = 30.0


class PolicyTimeout(BaseException):
    """Raised inside a rule that ran longer than its limit (BaseException: a rule's
    `except Exception` does not swallow it)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"timed out after {seconds:g}s")
        self.seconds = seconds


class _Sink(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)

    def writable(self) -> bool:
        return True


@contextlib.contextmanager
def silenced() -> Iterator[None]:
    """Drop every byte written to stdout / stderr in the block, at the Python and fd level."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    saved: list[tuple[int, int]] = []
    devnull = -1
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        for fd in (1, 2):
            with contextlib.suppress(OSError):
                saved.append((fd, os.dup(fd)))
                os.dup2(devnull, fd)
    except OSError:
        pass
    sink = _Sink()
    old = sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__
    sys.stdout = sys.stderr = sys.__stdout__ = sys.__stderr__ = sink  # type: ignore[misc,assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__ = old  # type: ignore[misc]
        for fd, copy in saved:
            with contextlib.suppress(OSError):
                os.dup2(copy, fd)
            os.close(copy)
        if devnull >= 0:
            os.close(devnull)


class Watchdog:
    """One SIGALRM ticker for a whole run: raises PolicyTimeout in a call that overran."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.interval = max(0.01, min(1.0, seconds / 8))
        self.call = 0  # bumped before every rule call
        self.active = False  # a rule is running
        self._seen = -1
        self._ticks = 0

    def _tick(self, signum: int, frame: FrameType | None) -> None:
        if not self.active:
            return
        if self._seen != self.call:
            self._seen, self._ticks = self.call, 0
        self._ticks += 1
        if self._ticks * self.interval >= self.seconds:
            self._ticks = 0
            raise PolicyTimeout(self.seconds)

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        try:
            previous = signal.signal(signal.SIGALRM, self._tick)
        except (ValueError, AttributeError):  # not the main thread, or no SIGALRM
            yield
            return
        old_timer = signal.setitimer(signal.ITIMER_REAL, self.interval, self.interval)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            if old_timer[0]:
                signal.setitimer(signal.ITIMER_REAL, *old_timer)
