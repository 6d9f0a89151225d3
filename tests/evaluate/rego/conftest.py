from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gitops_guard.load import load_bytes
from gitops_guard.model import Document
from tests.conftest import DATA, CliResult, RunCli
from tests.evaluate.rego.pki import make_pki
from tests.fakes.opa_server import FakeOpaServer

REGO = DATA / "rego"
SEGFAULT = "f(x) := f(x + 1)\n"  # unbounded recursion: regorus overflows its stack


def verify_source(run_cli: RunCli, tmp_path: Path, source: str,
                  version: str = "v1") -> CliResult:
    """`gitops-guard verify` on one policy file holding `source` and its test_ rules."""
    (tmp_path / "t.rego").write_text(source)
    return run_cli("verify", "--rego-version", version, "-p", str(tmp_path))


def expect_value(run_cli: RunCli, tmp_path: Path, expr: str, value: str) -> None:
    """A policy test `expr == value` passes under `gitops-guard verify`."""
    (tmp_path / "t.rego").write_text(f"package main\ntest_it if {{ {expr} == {value} }}\n")
    result = run_cli("verify", "-p", str(tmp_path))
    assert result.code == 0, result.out + result.err
    assert "1 test, 1 passed" in result.out


def check_policy(run_cli: RunCli, tmp_path: Path, policy: str,
                 seconds: float = 30) -> tuple[int, str]:
    """`check --no-builtin` of policy.rego (package main + `policy`) on two documents."""
    (tmp_path / "policy.rego").write_text("package main\n" + policy)
    (tmp_path / "in.yaml").write_text("a: 1\n---\nb: 2\n")
    (tmp_path / "cfg.yaml").write_text(f"timeouts:\n  policy_seconds: {seconds}\n")
    result = run_cli("check", "--no-builtin", "--config", str(tmp_path / "cfg.yaml"),
                     "-p", str(tmp_path / "policy.rego"), str(tmp_path / "in.yaml"))
    return result.code, result.out + result.err


def verify_pki(run_cli: RunCli, tmp_path: Path, pki: dict[str, Any], rego: str) -> str:
    """`gitops-guard verify -v` on test_ rules `rego` with the PKI as `data.pki`; must pass."""
    (tmp_path / "pki.json").write_text(json.dumps({"pki": pki}))
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "t.rego").write_text("package main\nimport rego.v1\n" + rego)
    result = run_cli("verify", "-v", "-p", str(tmp_path / "policy"), "-d",
                     str(tmp_path / "pki.json"))
    assert result.code == 0, result.out + result.err
    return result.out


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


@pytest.fixture(scope="module")
def pki() -> dict[str, Any]:
    """Certificates, keys and signed tokens made at test time (pki.py), never committed."""
    return make_pki()
