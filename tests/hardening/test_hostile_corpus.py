"""Every hostile file through the installed command: a clear finding within a time and
memory limit, never a traceback, a hang or an internal error (exit 3)."""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hardening.hostile import GENERATED, HOSTILE, write_corpus

GUARD = Path(sys.executable).with_name("gitops-guard")
TIME_LIMIT = 20.0  # seconds per file on a busy 2-core machine; measured worst is ~0.6 s
MEMORY_LIMIT = 1 << 30  # address space: an expansion past this fails the run, not the box

# file -> the load-family rule it must produce (None: it is a valid manifest and loads).
EXPECTED: dict[str, str | None] = {
    "billion-laughs.yaml": "GG004",
    "billion-laughs-wide.yaml": "GG004",
    "billion-laughs-in-key.yaml": "GG004",
    "merge-key-bomb.yaml": "GG004",
    "deep-100k.json": "GG001",
    "deep-100k-object.json": "GG001",
    "deep-flow-100k.yaml": "GG001",
    "deep-block-2000.yaml": "GG001",
    "deep-block-seq-5000.yaml": "GG001",
    "deep-hcl.tf": "GG001",
    "huge-scalar.yaml": None,  # 9 MB, under the 10 MB limit: loads, and quickly
    "over-size-limit.yaml": "GG004",
    "many-documents.yaml": "GG004",
    "invalid-utf8.yaml": "GG003",
    "invalid-utf8.tfvars": "GG003",
    "nul-byte.yaml": "GG003",
    "nul-byte.json": "GG003",
    "nul-byte.tf": "GG003",
    "utf16-le-bom.yaml": None,
    "utf16-be-bom.yaml": None,
    "utf16-le-no-bom.yaml": "GG003",
    "utf16-be-no-bom.yaml": "GG003",
    "utf16-bom-odd-length.yaml": "GG003",
    "bom-then-garbage.json": "GG001",
    "tabs-and-cr.yaml": "GG001",
    "unsafe-tags.yaml": None,  # loads as plain strings; nothing is constructed or run
    "unterminated.tf": "GG001",
}


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    write_corpus(folder)
    return folder


def test_every_hostile_file_has_an_expectation() -> None:
    names = {p.name for p in HOSTILE.iterdir() if p.is_file()} - {"README.md"}
    assert names | set(GENERATED) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file_ends_in_a_clear_finding(corpus: Path, name: str) -> None:
    started = time.monotonic()
    proc = subprocess.run(
        [str(GUARD), "check", "-o", "json", name], cwd=corpus, capture_output=True,
        text=True, timeout=TIME_LIMIT * 3, preexec_fn=_limit_memory, check=False)
    elapsed = time.monotonic() - started
    assert elapsed < TIME_LIMIT, f"{name} took {elapsed:.1f}s"
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode in (0, 1), proc.stderr  # 2 is for usage errors, 3 for bugs
    findings = json.loads(proc.stdout)["findings"]
    load_rules = [f["rule_id"] for f in findings if f["rule_id"].startswith("GG0")]
    expected = EXPECTED[name]
    if expected is None:
        assert load_rules == [], findings
    else:
        assert expected in load_rules, findings
        assert all(f["line"] >= 0 and f["message"] for f in findings)


def test_unsafe_tags_construct_nothing(corpus: Path, tmp_path: Path) -> None:
    marker = Path("/tmp/gitops-guard-pwned")
    marker.unlink(missing_ok=True)
    subprocess.run([str(GUARD), "check", "unsafe-tags.yaml"], cwd=corpus,
                   capture_output=True, timeout=60, check=False)
    assert not marker.exists()
