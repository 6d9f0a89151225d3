"""Every bad input of issue 2 item 11: a clear finding or exit code, never a traceback."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import DATA, CliResult, RunCli

BAD = DATA / "bad"


def _check(run_cli: RunCli, *paths: Path) -> CliResult:
    return run_cli("check", "--no-builtin", "-o", "json", *map(str, paths))


@pytest.mark.parametrize(
    ("name", "rule", "line", "words"),
    [
        ("invalid.yaml", "GG001", 7, "did not find expected ',' or ']'"),
        ("duplicate-keys.yaml", "GG002", 5, "duplicate key 'name' (first at line 4)"),
        ("latin1.yaml", "GG003", 4, "not valid UTF-8"),
        ("binary.yaml", "GG003", 3, "binary file"),
        ("alias-bomb.yaml", "GG004", 6, "alias expansion exceeds"),
        ("deep-flow.yaml", "GG001", 1, "exceeded maximum nesting depth"),
        ("tabs.yaml", "GG001", 4, "YAML does not allow tabs"),
        ("list-of-resources.yaml", "GG005", 1, "YAML list of resources"),
        ("scalar.yaml", "GG005", 1, "string scalar"),
    ],
)
def test_bad_input_is_a_located_finding(
    run_cli: RunCli, name: str, rule: str, line: int, words: str,
) -> None:
    result = _check(run_cli, BAD / name)
    findings = result.json()["findings"]
    assert findings, result.out
    first = findings[0]
    assert (first["rule_id"], first["line"]) == (rule, line)
    assert words in first["message"]
    assert result.err == ""


def test_scalar_document_is_only_a_warning(run_cli: RunCli) -> None:
    assert _check(run_cli, BAD / "scalar.yaml").code == 0
    assert _check(run_cli, BAD / "invalid.yaml").code == 1


def test_one_broken_file_does_not_stop_the_others(run_cli: RunCli) -> None:
    result = _check(run_cli, BAD / "invalid.yaml", DATA / "check" / "deployment-bad.yaml")
    rules = sorted({f["rule_id"] for f in result.json()["findings"]})
    assert rules == ["GG001", "GG201", "GG202"]


def test_yaml11_booleans_load_as_kubernetes_does_with_a_hint(run_cli: RunCli) -> None:
    findings = _check(run_cli, BAD / "yaml11-booleans.yaml").json()["findings"]
    assert [(f["line"], f["field"]) for f in findings] == [(6, "data.enabled"), (7, "data.mode")]
    assert all("YAML 1.1 booleans; quote the value" in f["message"] for f in findings)


def test_bare_equals_value_in_a_crd_loads(run_cli: RunCli) -> None:
    result = _check(run_cli, BAD / "crd-equals.yaml")
    assert result.code == 0
    assert result.json()["findings"] == []


def test_deep_block_nesting(tmp_path: Path, run_cli: RunCli) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("".join(" " * i + f"k{i}:\n" for i in range(1500)))
    (finding,) = _check(run_cli, deep).json()["findings"]
    assert finding["rule_id"] in {"GG001", "GG004"}
    assert "nesting" in finding["message"]


def test_huge_file_is_refused_without_reading_it_all(tmp_path: Path, run_cli: RunCli) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        chunk = b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n" * 20_000
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(chunk)
    (finding,) = _check(run_cli, big).json()["findings"]
    assert finding["rule_id"] == "GG004"
    assert "over the 10,485,760-byte limit" in finding["message"]
    size = big.stat().st_size  # the file's real size, not how much was read
    assert finding["message"].startswith(f"file is {size:,} bytes ({size / 2**20:.1f} MiB)")


def test_every_bad_input_through_the_real_binary_is_fast_and_clean(tmp_path: Path) -> None:
    """The installed command: no traceback on stderr, exit 0/1 only, no hang."""
    files = sorted(BAD.glob("*.yaml"))
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "gitops_guard", "check", "--no-builtin", *map(str, files)],
        capture_output=True, text=True, timeout=60, check=False,
    )
    elapsed = time.monotonic() - started
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stderr == ""
    assert f"{len(files)} files" in proc.stdout
    print(f"{len(files)} bad inputs checked in {elapsed:.2f}s")
