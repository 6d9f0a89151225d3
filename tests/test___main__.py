"""`python -m gitops_guard` (__main__.py) is the CLI: its output and exit codes."""
from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(("args", "code", "shown"), [
    (["--version"], 0, "gitops-guard "),
    (["nosuchcmd"], 2, "invalid choice: 'nosuchcmd'"),
])
def test_module_runs_the_cli(args: list[str], code: int, shown: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "gitops_guard", *args], capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode == code
    assert shown in proc.stdout + proc.stderr
