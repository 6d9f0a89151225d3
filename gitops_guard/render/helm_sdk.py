"""helm-python-sdk renders (no `helm` on PATH), each in a child process with the limits of
every render tool: `timeouts.render_seconds` of wall time, `limits.render_memory_mb` of
address space (RLIMIT_AS) and a CPU backstop (bounded.py), its process group killed on a
timeout. The child is helm_child.py, run by path with `python -I`.

A timeout is GG107, a limit hit (the Go runtime's "out of memory", a kill by the kernel)
GG121, any other crash GG102 naming the chart and the exit; never a traceback, never
the job's memory.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gitops_guard.render.tools import ToolRun, run_tool

CHILD = Path(__file__).with_name("helm_child.py")


@dataclass(frozen=True)
class SdkRender:
    """The child's run and, when it replied, what it rendered or Helm's error."""

    run: ToolRun
    manifests: dict[str, str] = field(default_factory=dict)
    crds: list[dict[str, str]] = field(default_factory=list)
    error: str | None = None  # Helm's message (a template error)
    replied: bool = False  # False: no reply (a timeout, a limit hit, a crash: see crash())

    def crash(self) -> str | None:
        """Why the child gave no reply (None when it did)."""
        if self.replied or self.run.timed_out or self.run.over_limit:
            return None
        if self.run.returncode == 0:
            return "helm-python-sdk replied with something that is not a render"
        lines = [line for line in self.run.stderr.splitlines() if line.strip()]
        last = lines[-1].strip() if lines else "no output"
        return f"helm-python-sdk exited with {self.run.returncode}: {last[:300]}"


def available() -> bool:
    return importlib.util.find_spec("helm_python") is not None


def render_sdk(chart_dir: Path, release: str, namespace: str, values: Mapping[str, Any],
               cwd: Path) -> SdkRender:
    request = json.dumps({"chart": str(chart_dir), "release": release,
                          "namespace": namespace, "values": dict(values)})
    run = run_tool([sys.executable, "-I", str(CHILD)], cwd=cwd, stdin=request)
    if run.timed_out or run.over_limit or run.returncode != 0:
        return SdkRender(run)
    try:
        reply = json.loads(run.stdout)
    except ValueError:
        return SdkRender(run)
    if not isinstance(reply, dict):
        return SdkRender(run)
    if "error" in reply:
        return SdkRender(run, error=str(reply["error"]), replied=True)
    return SdkRender(run, dict(reply.get("manifests") or {}), list(reply.get("crds") or []),
                     replied=True)
