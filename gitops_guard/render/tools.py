"""External tools of the render stage: detection, identity for cache keys, running them."""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from gitops_guard.errors import ToolMissingError
from gitops_guard.render.bounded import child_limits, over_limit
from gitops_guard.render.secret_values import environment_secrets, scrub_all

TIMEOUT_SECONDS = 120.0  # default of config `timeouts.render_seconds`
_TIMEOUT: ContextVar[float] = ContextVar("render_timeout", default=TIMEOUT_SECONDS)

KUSTOMIZE_HINT = ("install kustomize (https://kubectl.docs.kubernetes.io/installation/kustomize/) "
                  "or kubectl, which has it built in")


@dataclass(frozen=True)
class ToolRun:
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False
    seconds: float = 0.0  # the limit, when timed_out
    over_limit: bool = False  # ended by its memory / CPU limit (bounded.py)


@contextlib.contextmanager
def render_timeout(seconds: float) -> Iterator[None]:
    """Every `run_tool` inside the block (one environment's render) is limited to `seconds`."""
    token = _TIMEOUT.set(seconds)
    try:
        yield
    finally:
        _TIMEOUT.reset(token)


def _kill_group(proc: subprocess.Popen[str]) -> None:
    with contextlib.suppress(OSError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired, OSError):
        proc.communicate(timeout=5)


def run_tool(argv: Sequence[str], cwd: Path | None = None,
             timeout: float | None = None, stdin: str | None = None) -> ToolRun:
    """Run `argv` (never through a shell) with a timeout; a timeout is a failed run.
    `stdin`: text for the tool's standard input (else it reads /dev/null).

    Its stderr comes back scrubbed of the environment's secret values (secret_values.py).
    The tool runs in its own process group: on a timeout, Ctrl-C or SIGTERM the whole
    group (plugins a tool started included) is killed before this returns or raises.
    """
    limit = _TIMEOUT.get() if timeout is None else timeout
    try:
        proc = subprocess.Popen(list(argv), cwd=cwd,
                                stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True, preexec_fn=child_limits(limit))
    except OSError as exc:
        return ToolRun(127, "", f"{argv[0]}: {exc.strerror}")
    try:
        stdout, stderr = proc.communicate(stdin, timeout=limit)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        name = os.path.basename(argv[0])
        return ToolRun(124, "", f"{name} timed out after {limit:g}s", True, limit)
    except BaseException:  # KeyboardInterrupt, SIGTERM turned into one: leave no child behind
        _kill_group(proc)
        raise
    return ToolRun(proc.returncode, stdout, scrub_all(stderr, environment_secrets()),
                   over_limit=over_limit(proc.returncode, stderr))


def kustomize_command() -> list[str]:
    """`kustomize build`, else `kubectl kustomize` (the same engine, built into kubectl)."""
    found = shutil.which("kustomize")
    if found:
        return [found, "build"]
    kubectl = shutil.which("kubectl")
    if kubectl:
        return [kubectl, "kustomize"]
    raise ToolMissingError("kustomize", KUSTOMIZE_HINT)


def tool_identity(name: str) -> str:
    """A cheap fingerprint of a binary (path, size, mtime), so an upgrade invalidates caches."""
    found = shutil.which(name)
    if not found:
        return f"{name}:absent"
    try:
        st = os.stat(found)
    except OSError:
        return f"{name}:{found}"
    return f"{name}:{os.path.realpath(found)}:{st.st_size}:{st.st_mtime_ns}"


def helm_python_identity() -> str:
    try:
        from importlib.metadata import version

        return f"helm-python-sdk:{version('helm-python-sdk')}"
    except Exception:  # not installed: a different renderer, a different key
        return "helm-python-sdk:absent"
