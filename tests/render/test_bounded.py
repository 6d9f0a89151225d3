"""Memory and CPU limits of the render tools (GG121): set in the child before it runs; a
tool that died of them is told apart from one that failed."""
from __future__ import annotations

import signal
import sys

import pytest

from gitops_guard.render.bounded import limit_finding, over_limit, render_memory
from gitops_guard.render.tools import run_tool


def test_the_memory_limit_is_set_in_the_tool_process() -> None:
    show = [sys.executable, "-c",
            "import resource; print(resource.getrlimit(resource.RLIMIT_AS)[0] >> 20)"]
    with render_memory(512):
        assert run_tool(show).stdout == "512\n"
        big = run_tool([sys.executable, "-c", "x = bytearray(1024 << 20)"])
    assert big.returncode != 0 and "MemoryError" in big.stderr


@pytest.mark.parametrize(("returncode", "stderr", "over"), [
    (-signal.SIGKILL, "", True),
    (-signal.SIGXCPU, "", True),
    (2, "fatal error: runtime: out of memory\ngoroutine 1", True),
    (1, "Error: cannot allocate memory", True),
    (1, "Error: accumulating resources: missing.yaml", False),
    (0, "warning: out of memory soon", False),  # it finished
])
def test_over_limit(returncode: int, stderr: str, over: bool) -> None:
    assert over_limit(returncode, stderr) is over


def test_limit_finding_names_the_environment_tool_and_limit() -> None:
    with render_memory(256):
        finding = limit_finding("helm", "chart web", "charts/web/Chart.yaml", "prod")
    assert (finding.rule_id, finding.location.path, finding.env) == (
        "GG121", "charts/web/Chart.yaml", "prod")
    assert finding.message == ("environment prod: helm stopped at its limits rendering chart "
                               "web (config limits.render_memory_mb: 256 MB, "
                               "timeouts.render_seconds); nothing of it was checked")
