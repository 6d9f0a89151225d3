"""HCL files as the loader reads them (gitops_guard/load/hcl.py): checked without schemas,
undecodable files refused, oversized ones refused before parsing, found by a directory scan.
The tree it builds: tests/load/test_hcl_tree.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DATA, RunCli

TF = DATA / "terraform"


def test_check_accepts_terraform_files_without_schema_findings(run_cli: RunCli) -> None:
    result = run_cli("check", "--reject-missing-schemas", str(TF / "main.tf"),
                     str(TF / "production.tfvars"))
    assert result.code == 0
    assert result.out.strip() == "2 files, 0 resources, 0 errors, 0 warnings"


def test_non_utf8_and_binary_terraform_files_are_findings(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "latin1.tf").write_bytes(b'name = "caf\xe9"\n')
    (tmp_path / "blob.tfvars").write_bytes(b"\x00\x01\x02")
    result = run_cli("check", "-o", "json", str(tmp_path / "latin1.tf"),
                     str(tmp_path / "blob.tfvars"))
    assert result.code == 1
    assert sorted(f["rule_id"] for f in result.json()["findings"]) == ["GG003", "GG003"]


def test_directory_scan_picks_up_terraform_files(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text('resource "a" "b" {\n  x = = 1\n}\n')
    (tmp_path / "infra" / "prod.tfvars").write_text('region = "eu-west-1"\n')
    (tmp_path / "notes.txt").write_text("not checked\n")
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", "-o", "json", ".")
    assert result.code == 1
    body = result.json()
    assert body["summary"]["files"] == 2
    (finding,) = body["findings"]
    assert (finding["rule_id"], finding["path"], finding["line"]) == ("GG001", "infra/main.tf", 2)


def test_oversized_hcl_is_refused_before_parsing(tmp_path: Path, run_cli: RunCli) -> None:
    big = tmp_path / "big.tfvars"
    big.write_text('x = "' + "a" * (3 * 1024 * 1024) + '"\n')
    result = run_cli("check", "-o", "json", str(big))
    assert result.code == 1
    (finding,) = result.json()["findings"]
    assert finding["rule_id"] == "GG004"
    assert "limit for one HCL file (load_limits.max_hcl_bytes)" in finding["message"]
