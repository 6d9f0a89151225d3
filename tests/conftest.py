from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from gitops_guard.cli import main

DATA = Path(__file__).parent / "data"


class CliResult(NamedTuple):
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


RunCli = Callable[..., CliResult]


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> RunCli:
    """Run `gitops-guard ARGS` in-process, as a user would, and capture what it prints."""

    def run(*argv: str) -> CliResult:
        cwd = os.getcwd()
        try:
            code = main(list(argv))
        finally:
            os.chdir(cwd)  # `-C DIR` must not leak into the tests that run after
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def data_dir() -> Path:
    return DATA
