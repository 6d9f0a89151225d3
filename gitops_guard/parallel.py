"""Numbered tasks shared between this process and forked workers, results in task order.

`share_work(count, run, jobs, encode, decode)` returns `[run(0), ..., run(count - 1)]`,
whatever `jobs` is. With `jobs > 1` it forks `jobs - 1` workers that inherit everything
already in memory (no pickling of inputs, no re-import) and they, and this process,
claim tasks one at a time from a pipe of task numbers, so a slow task or a busy core
never leaves the others idle. A worker sends each result back `encode`d on its own pipe;
this process decodes it. A task that fails in a worker (or a worker that dies) is simply
run again here, so exceptions and results are exactly those of a serial run.

Chosen over multiprocessing.Pool: no pool start-up, no import of multiprocessing (~7 ms),
and dynamic claiming instead of fixed chunks (measured in benchmarks/README.md).
"""
from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

_TOKEN = 4  # bytes per task number in the claim pipe
_HEADER = 13  # task number (4), status (1), payload length (8)
MAX_TASKS = 65536 // _TOKEN  # all task numbers fit in a default pipe without blocking
_PIPE_SIZE = 1 << 20  # results: fewer stalls of a worker while this process is busy
_OK, _FAILED = 0, 1


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "darwin"  # fork is unsafe on macOS


def share_work(count: int, run: Callable[[int], T], jobs: int,
               encode: Callable[[T], bytes], decode: Callable[[bytes], T],
               meanwhile: Callable[[], object] | None = None,
               worker_run: Callable[[int], T] | None = None) -> list[T]:
    """`[run(i) for i in range(count)]` on `jobs` processes. `meanwhile` runs in this process
    once the workers are started (work that only this process needs, e.g. imports);
    `worker_run`, when given, is what workers call instead of `run` (same result, in a
    form that is cheaper to send)."""
    if jobs < 2 or count < 2 or count > MAX_TASKS or not can_fork():
        if meanwhile is not None:
            meanwhile()
        return [run(i) for i in range(count)]
    claims_r, claims_w = os.pipe()
    os.write(claims_w, b"".join(i.to_bytes(_TOKEN, "little") for i in range(count)))
    os.close(claims_w)
    workers: list[tuple[int, int]] = []  # (pid, read end of its result pipe)
    results: dict[int, T] = {}
    buffers: list[bytearray] = []
    done = False
    try:
        for _ in range(min(jobs, count) - 1):
            workers.append(_fork_worker(claims_r, worker_run or run, encode))
            buffers.append(bytearray())
        if meanwhile is not None:
            meanwhile()
        for task in _ClaimIter(claims_r):
            results[task] = run(task)
            # Decoding what arrived between tasks leaves less for the end.
            _drain(workers, buffers, block=False)
            _decode_frames(buffers, decode, results)
        _drain(workers, buffers, block=True)
        _decode_frames(buffers, decode, results)
        done = True
    finally:
        os.close(claims_r)
        _reap(workers, kill=not done)
    return [results[i] if i in results else run(i) for i in range(count)]


class _ClaimIter:
    """Task numbers claimed from the shared pipe: each read takes one whole number."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __iter__(self) -> _ClaimIter:
        return self

    def __next__(self) -> int:
        token = os.read(self.fd, _TOKEN)
        if len(token) < _TOKEN:
            raise StopIteration
        return int.from_bytes(token, "little")


def _fork(child: Callable[[], object]) -> int:
    """Fork; the child runs `child()` and ends (status 0, or 1 if it raised) without
    returning into the caller's code, flushing stdio or running exit handlers."""
    for stream in (sys.stdout, sys.stderr):  # nothing buffered is written twice
        with contextlib.suppress(Exception):
            stream.flush()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it, no traceback
            child()
            status = 0
        finally:
            os._exit(status)
    return pid


def _fork_worker(claims_r: int, run: Callable[[int], T],
                 encode: Callable[[T], bytes]) -> tuple[int, int]:
    results_r, results_w = os.pipe()
    with contextlib.suppress(OSError, AttributeError):
        import fcntl

        fcntl.fcntl(results_w, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)

    def work() -> None:
        os.close(results_r)
        for task in _ClaimIter(claims_r):
            try:
                payload, state = encode(run(task)), _OK
            except BaseException:  # the parent runs it again and reports what it raises
                payload, state = b"", _FAILED
            _write_all(results_w, task.to_bytes(4, "little") + bytes([state])
                       + len(payload).to_bytes(8, "little"))
            _write_all(results_w, payload)

    pid = _fork(work)
    os.close(results_w)
    return pid, results_r


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _drain(workers: list[tuple[int, int]], buffers: list[bytearray], block: bool) -> None:
    """Move what the workers sent into `buffers`; with `block`, until they are done."""
    for (_, fd), buffer in zip(workers, buffers, strict=True):
        os.set_blocking(fd, block)
        while True:
            try:
                chunk = os.read(fd, _PIPE_SIZE)
            except BlockingIOError:
                break
            if not chunk:
                break
            buffer += chunk


def _decode_frames(buffers: list[bytearray], decode: Callable[[bytes], T],
                   results: dict[int, T]) -> None:
    """Decode the complete results at the front of each worker's stream into `results`
    and drop them from it; a failed task is left out (run again here), a partial frame
    stays for later."""
    for buffer in buffers:
        view, at = memoryview(buffer), 0
        while at + _HEADER <= len(view):
            size = int.from_bytes(view[at + 5:at + _HEADER], "little")
            if at + _HEADER + size > len(view):
                break
            if view[at + 4] == _OK:
                task = int.from_bytes(view[at:at + 4], "little")
                results[task] = decode(bytes(view[at + _HEADER:at + _HEADER + size]))
            at += _HEADER + size
        view.release()
        del buffer[:at]


def _reap(workers: list[tuple[int, int]], kill: bool) -> None:
    """Wait for the workers (they end once the claims run out); `kill` when this process
    is failing and will not read their results."""
    for pid, fd in workers:
        with contextlib.suppress(OSError):
            os.close(fd)
        with contextlib.suppress(OSError):
            if kill:
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


class Background:
    """`func()` run in a forked child while this process goes on; `wait()` before exit.

    For side work nobody reads back (writing the load cache): it then costs no wall time
    when a core is free. Without fork, `func` runs at once, here.
    """

    def __init__(self, func: Callable[[], object], jobs: int) -> None:
        self.pid = 0
        if jobs < 2 or not can_fork():
            func()
            return
        self.pid = _fork(func)

    def wait(self) -> None:
        if self.pid:
            with contextlib.suppress(OSError):
                os.waitpid(self.pid, 0)
            self.pid = 0
