"""External tools of the render stage: detection, identity for cache keys, running them."""
from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gitops_guard.errors import ToolMissingError

TIMEOUT_SECONDS = 120.0

KUSTOMIZE_HINT = ("install kustomize (https://kubectl.docs.kubernetes.io/installation/kustomize/) "
                  "or kubectl, which has it built in")


@dataclass(frozen=True)
class ToolRun:
    returncode: int
    stdout: str
    stderr: str


def run_tool(argv: Sequence[str], cwd: Path | None = None,
             timeout: float = TIMEOUT_SECONDS) -> ToolRun:
    """Run `argv` (never through a shell) with a timeout; a timeout is a failed run."""
    try:
        done = subprocess.run(list(argv), cwd=cwd, capture_output=True, text=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return ToolRun(124, "", f"{argv[0]} timed out after {timeout:g}s")
    except OSError as exc:
        return ToolRun(127, "", f"{argv[0]}: {exc.strerror}")
    return ToolRun(done.returncode, done.stdout, done.stderr)


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
