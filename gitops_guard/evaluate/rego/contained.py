"""Containment for the embedded Rego engine: a forked child that may crash, hang or
blow up its memory without taking the run down.

    run_contained(prepare, tasks, run, seconds=30, group=key) -> list[result | Failed]

The child (os.fork, so the inputs are shared, not copied) calls `prepare(stage)` once
(load the policies; `stage(text)` names what it is loading), then `run(engine, task)`
for each task in order, and streams one frame per task back over a pipe. Frame layout:
FRAME (kind byte, payload length) followed by a pickled payload.

The parent waits at most `seconds` for each frame (config `timeouts.policy_seconds`:
the budget of one rule on one input). When the child dies (a segfault, a Rust panic,
an abort on the memory limit MEMORY_BYTES) or overruns, the parent kills it, records
`Failed(reason)` for the task it was on and for every later task of the same `group`
(a rule that crashed once is not called again), and forks a fresh child for the rest.
A task that raises an ordinary exception is returned as `TaskError` (the engine's own
evaluation errors keep their meaning). Where fork is missing (Windows) tasks run
in-process, uncontained.
"""
from __future__ import annotations

import contextlib
import faulthandler
import os
import pickle
import resource
import select
import signal
import struct
import time
import warnings
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from gitops_guard.errors import GuardError

E = TypeVar("E")
T = TypeVar("T")

FRAME = struct.Struct("<BQ")  # kind, payload length
STAGE, READY, RESULT, TASK_ERROR, SETUP_ERROR, FAILED = range(6)
# Address space the child may add to what the parent already maps (RLIMIT_AS).
MEMORY_BYTES = 4 << 30


@dataclass(frozen=True)
class Failed:
    """The engine crashed or overran on a task (or was not run after its group failed)."""

    reason: str  # "crashed (SIGSEGV)", "panicked: ...", "timed out after 30s"
    skipped: bool = False  # not run: an earlier task of its group failed


@dataclass(frozen=True)
class TaskError(Generic[T]):
    """`run` raised an ordinary exception on a task."""

    error: BaseException


class SetupFailed(GuardError):
    """The child crashed or overran while preparing (parsing a policy)."""

    def __init__(self, stage: str, reason: str) -> None:
        super().__init__(f"{stage}: the rego engine {reason}" if stage else reason)
        self.stage, self.reason = stage, reason


def run_contained(prepare: Callable[[Callable[[str], None]], E], tasks: Sequence[T],
                  run: Callable[[E, T], Any], *, seconds: float,
                  group: Callable[[T], Hashable] = id) -> list[Any]:
    """One result per task, in order: run's value, a TaskError or a Failed."""
    if not hasattr(os, "fork"):
        return _in_process(prepare, tasks, run)
    results: list[Any] = [None] * len(tasks)
    pending = list(range(len(tasks)))
    failed_groups: dict[Hashable, str] = {}
    while True:  # with no tasks, one child still loads the policies (parse errors)
        done, failure = _one_child(prepare, tasks, run, pending, seconds, results)
        pending = pending[done:]
        if failure is None:
            return results
        index = pending.pop(0)
        results[index] = Failed(failure)
        failed_groups[group(tasks[index])] = failure
        pending = [i for i in pending if not _skip(i, tasks, group, failed_groups, results)]
        if not pending:
            return results


def _skip(index: int, tasks: Sequence[T], group: Callable[[T], Hashable],
          failed: dict[Hashable, str], results: list[Any]) -> bool:
    reason = failed.get(group(tasks[index]))
    if reason is None:
        return False
    results[index] = Failed(reason, skipped=True)
    return True


def _in_process(prepare: Callable[[Callable[[str], None]], E], tasks: Sequence[T],
                run: Callable[[E, T], Any]) -> list[Any]:
    engine = prepare(lambda _: None)
    out: list[Any] = []
    for task in tasks:
        try:
            out.append(run(engine, task))
        except Exception as exc:
            out.append(TaskError(exc))
    return out


def _one_child(prepare: Callable[[Callable[[str], None]], E], tasks: Sequence[T],
               run: Callable[[E, T], Any], pending: list[int], seconds: float,
               results: list[Any]) -> tuple[int, str | None]:
    """Run `pending` in one child: (how many finished, the failure that stopped it)."""
    read_fd, write_fd = os.pipe()
    limit = _memory_limit()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads (3.12+)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; coverage cannot follow it
        os.close(read_fd)
        _child(prepare, tasks, run, pending, write_fd, limit)
    os.close(write_fd)
    reader = _Frames(read_fd)
    done, stage, ready = 0, "", False
    try:
        while not ready or done < len(pending):
            frame = reader.next(seconds)
            kind, payload = frame if frame is not None else (
                FAILED, _stop(pid, seconds, reader.eof))  # type: tuple[int, Any]
            if kind == STAGE:
                stage = payload
            elif kind == READY:
                ready = True
            elif kind == SETUP_ERROR:
                raise payload
            elif kind == FAILED and not ready:
                raise SetupFailed(stage, payload)
            elif kind == FAILED:
                return done, payload
            else:
                results[pending[done]] = payload if kind == RESULT else TaskError(payload)
                done += 1
        return done, None
    finally:
        os.close(read_fd)
        _reap(pid)


def _stop(pid: int, seconds: float, eof: bool) -> str:
    """Kill the child if it still runs; the reason it stopped, for the task it was on."""
    if not eof:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        return f"timed out after {seconds:g}s (timeouts.policy_seconds)"
    _, status = os.waitpid(pid, 0)
    return _describe(status)


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        extra = f" (or ran out of its {MEMORY_BYTES >> 30} GiB memory limit)" \
            if sig == signal.SIGABRT else ""
        return f"crashed ({name}){extra}"
    return f"exited with status {os.WEXITSTATUS(status)}"


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError, ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _memory_limit() -> int:
    """RLIMIT_AS for the child: what this process maps now plus MEMORY_BYTES."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE") + MEMORY_BYTES
    except (OSError, ValueError, IndexError):
        return -1


class _Frames:
    """Frames from the child's pipe, each awaited at most `seconds`."""

    def __init__(self, fd: int) -> None:
        self.fd, self.buffer, self.eof = fd, bytearray(), False

    def next(self, seconds: float) -> tuple[int, Any] | None:
        deadline = time.monotonic() + seconds
        while True:
            frame = self._parse()
            if frame is not None:
                return frame
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                return None
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                self.eof = True
                return None
            self.buffer += chunk

    def _parse(self) -> tuple[int, Any] | None:
        if len(self.buffer) < FRAME.size:
            return None
        kind, length = FRAME.unpack_from(self.buffer)
        end = FRAME.size + length
        if len(self.buffer) < end:
            return None
        payload = pickle.loads(bytes(self.buffer[FRAME.size:end]))
        del self.buffer[:end]
        return kind, payload


def _child(prepare: Callable[[Callable[[str], None]], E], tasks: Sequence[T],  # pragma: no cover
           run: Callable[[E, T], Any], pending: list[int], fd: int, limit: int) -> None:
    """The forked child: never returns (os._exit), whatever happens."""
    try:
        faulthandler.disable()  # its own copy of stderr would print the crash
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)  # a Rust panic prints to stderr
        if limit > 0:
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        send = _sender(fd)
        try:
            engine = prepare(lambda text: send(STAGE, text))
        except Exception as exc:
            send(SETUP_ERROR, exc if _picklable(exc) else GuardError(str(exc)))
            os._exit(0)
        except BaseException as exc:
            send(FAILED, f"panicked ({_first_line(exc)})")
            os._exit(0)
        send(READY, None)
        for index in pending:
            try:
                value = run(engine, tasks[index])
            except Exception as exc:
                send(TASK_ERROR, exc if _picklable(exc) else RuntimeError(str(exc)))
                continue
            except BaseException as exc:
                send(FAILED, f"panicked ({_first_line(exc)})")
                os._exit(0)
            send(RESULT, value)
    finally:
        os._exit(0)


def _sender(fd: int) -> Callable[[int, Any], None]:
    def send(kind: int, payload: Any) -> None:
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(FRAME.pack(kind, len(data)) + data)
        while view:
            view = view[os.write(fd, view):]
    return send


def _picklable(exc: BaseException) -> bool:
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return False
    return True


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
