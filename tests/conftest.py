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


@pytest.fixture(autouse=True, scope="session")
def _load_cache_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The CLI caches load results under XDG_CACHE_HOME: keep the tests' out of ~/.cache."""
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old
