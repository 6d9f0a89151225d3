"""Memory and CPU limits of the tools that render content a change wrote (GG121).

Each kustomize / helm process is started with RLIMIT_AS (config
`limits.render_memory_mb`, default 4096) and RLIMIT_CPU (a backstop above the wall
timeout `timeouts.render_seconds`, which run_tool enforces). A template looping a
billion times or a kustomization that expands without end then dies inside its own
process instead of taking the job's memory; the run says so with a GG121 error naming
the environment, the tool and what it was rendering, and the result is not cached.

    limits: {render_memory_mb: 4096}
"""
from __future__ import annotations

import contextlib
import os
import resource
import signal
from collections.abc import Callable, Iterator
from contextvars import ContextVar

from gitops_guard.config_sections import RENDER_MEMORY_MB
from gitops_guard.model import Finding
from gitops_guard.render.findings import OVER_LIMIT, render_finding

MEMORY_MB = RENDER_MEMORY_MB
_MEMORY: ContextVar[int] = ContextVar("render_memory_mb", default=MEMORY_MB)
# How a tool that hit a limit ends: killed by the kernel (SIGKILL / SIGXCPU / SIGSEGV
# when even its start-up cannot map memory) or the Go runtime's own out-of-memory exit.
_SIGNALS = frozenset({-signal.SIGKILL, -signal.SIGXCPU, -signal.SIGSEGV, -signal.SIGABRT})
_GO_OOM = ("fatal error: runtime: out of memory", "fatal error: failed to reserve",
           "cannot allocate memory", "out of memory")


@contextlib.contextmanager
def render_memory(megabytes: int) -> Iterator[None]:
    """Every tool run inside the block gets `megabytes` of address space."""
    token = _MEMORY.set(megabytes)
    try:
        yield
    finally:
        _MEMORY.reset(token)


def child_limits(cpu_seconds: float) -> Callable[[], None]:
    """A `preexec_fn` setting the limits in the child, before the tool runs."""
    memory = _MEMORY.get() * 1024 * 1024
    cpu = int(cpu_seconds * max(os.cpu_count() or 1, 1)) + 5

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))

    return apply


def over_limit(returncode: int, stderr: str) -> bool:
    if returncode in _SIGNALS:
        return True
    lowered = stderr.lower()
    return returncode != 0 and any(marker in lowered for marker in _GO_OOM)


def limit_finding(tool: str, what: str, path: str, env: str | None) -> Finding:
    """GG121: names the environment, the tool and what it was rendering."""
    where = f"environment {env}: " if env else ""
    return render_finding(OVER_LIMIT, f"{where}{tool} stopped at its limits rendering {what} "
                          f"(config limits.render_memory_mb: {_MEMORY.get()} MB, "
                          "timeouts.render_seconds); nothing of it was checked", path, 0, 0,
                          env)
