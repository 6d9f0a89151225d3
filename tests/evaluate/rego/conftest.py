from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gitops_guard.load import load_bytes
from gitops_guard.model import Document
from tests.conftest import DATA, CliResult, RunCli
from tests.fakes.opa_server import FakeOpaServer

REGO = DATA / "rego"


def verify_source(run_cli: RunCli, tmp_path: Path, source: str,
                  version: str = "v1") -> CliResult:
    """`gitops-guard verify` on one policy file holding `source` and its test_ rules."""
    (tmp_path / "t.rego").write_text(source)
    return run_cli("verify", "--rego-version", version, "-p", str(tmp_path))


def load_docs(*paths: Path) -> list[Document]:
    """Documents as the loader gives them, with paths relative to tests/data/rego."""
    docs: list[Document] = []
    for path in paths:
        docs.extend(load_bytes(path.read_bytes(), path.relative_to(REGO).as_posix()).documents)
    return docs


@pytest.fixture
def opa_server() -> Iterator[FakeOpaServer]:
    server = FakeOpaServer().start()
    try:
        yield server
    finally:
        server.stop()
