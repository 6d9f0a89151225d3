"""`gitops-guard schemas import`: CRDs -> vendored JSON Schemas that `check` then uses."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import DATA, RunCli

CRD = DATA / "crd"


def make_repo(tmp_path: Path, config: str | None = None) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, timeout=30)
    (tmp_path / "crds").mkdir()
    (tmp_path / "apps").mkdir()
    for name in ("certificate-crd.yaml", "widget-crd-v1beta1.yaml", "broken-crds.yaml"):
        shutil.copy(CRD / name, tmp_path / "crds" / name)
    for name in ("certificates.yaml", "widgets.yaml"):
        shutil.copy(CRD / name, tmp_path / "apps" / name)
    if config is not None:
        (tmp_path / ".gitops-guard.yaml").write_text(config)
    return tmp_path


def test_import_writes_one_schema_per_served_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path)
    monkeypatch.chdir(repo / "apps")  # any dir in the repo: the default is <root>/schemas
    result = run_cli("schemas", "import", "../crds/certificate-crd.yaml",
                     "../crds/widget-crd-v1beta1.yaml")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "wrote schemas/certificate-certs-v1.json (Certificate certs.example.io/v1)",
        "wrote schemas/certificate-certs-v1beta1.json (Certificate certs.example.io/v1beta1)",
        "wrote schemas/widget-example-v1.json (Widget example.com/v1)",
    ]
    assert sorted(p.name for p in (repo / "schemas").iterdir()) == [
        "certificate-certs-v1.json", "certificate-certs-v1beta1.json", "widget-example-v1.json"]
    schema = json.loads((repo / "schemas" / "certificate-certs-v1.json").read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["x-kubernetes-group-version-kind"] == [
        {"group": "certs.example.io", "kind": "Certificate", "version": "v1"}]
    spec = schema["properties"]["spec"]
    assert spec["additionalProperties"] is False
    assert spec["properties"]["keystorePort"]["type"] == ["integer", "string"]
    assert spec["properties"]["revisionHistoryLimit"]["type"] == ["integer", "null"]
    assert "additionalProperties" not in spec["properties"]["issuerConfig"]
    assert spec["properties"]["privateKey"]["properties"]["size"]["exclusiveMinimum"] == 0


def test_check_uses_the_config_schemas_dir_written_by_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path, config="schemas: [vendor/schemas/]\n")
    monkeypatch.chdir(repo)
    imported = run_cli("schemas", "import", "crds/certificate-crd.yaml")
    assert imported.out.startswith("wrote vendor/schemas/certificate-certs-v1.json")
    result = run_cli("check", "-o", "json", "apps/certificates.yaml")
    assert result.code == 1
    schema = [f for f in result.json()["findings"] if f["source"] == "schema"]
    assert [(f["rule_id"], f["line"], f["field"]) for f in schema] == [
        ("GG201", 40, "spec.duration"),
        ("GG202", 44, "spec.privateKey.sizee"),
        ("GG201", 55, "spec.keyAlgorithm"),
    ]
    assert "schema vendor/schemas/certificate-certs-v1.json" in schema[0]["message"]


def test_no_strict_schemas_allow_unknown_fields(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path)
    monkeypatch.chdir(repo)
    assert run_cli("schemas", "import", "--no-strict", "--output-dir", "loose",
                   "crds/widget-crd-v1beta1.yaml").code == 0
    result = run_cli("check", "--schema-location", "loose", "-o", "json", "apps/widgets.yaml")
    schema = [f for f in result.json()["findings"] if f["source"] == "schema"]
    assert [(f["rule_id"], f["line"]) for f in schema] == [("GG201", 14)]


def test_strict_from_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path, config="strict: false\n")
    monkeypatch.chdir(repo)
    assert run_cli("schemas", "import", "crds/widget-crd-v1beta1.yaml").code == 0
    schema = json.loads((repo / "schemas" / "widget-example-v1.json").read_text())
    assert "additionalProperties" not in schema["properties"]["spec"]


def test_file_without_a_crd_is_exit_2_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path)
    monkeypatch.chdir(repo)
    result = run_cli("schemas", "import", "crds/certificate-crd.yaml", "apps/widgets.yaml")
    assert result.code == 2
    assert result.err.strip() == \
        "gitops-guard: error: apps/widgets.yaml: no CustomResourceDefinition in this file"
    assert not (repo / "schemas").exists()


def test_broken_crd_is_exit_2_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path)
    monkeypatch.chdir(repo)
    result = run_cli("schemas", "import", "crds/broken-crds.yaml")
    assert result.code == 2
    assert result.err.startswith("gitops-guard: error: crds/broken-crds.yaml:21:19: CRD "
                                 "gadgets.example.com version v1: invalid schema")
    assert not (repo / "schemas").exists()


def test_missing_or_unparsable_file_is_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path)
    (repo / "crds" / "bad.yaml").write_text("kind: [unclosed\n")
    monkeypatch.chdir(repo)
    missing = run_cli("schemas", "import", "crds/nope.yaml")
    assert (missing.code, missing.err.strip()) == (
        2, "gitops-guard: error: crds/nope.yaml: no such file")
    bad = run_cli("schemas", "import", "crds/bad.yaml")
    assert bad.code == 2
    assert bad.err.startswith("gitops-guard: error: crds/bad.yaml:")
    assert "Traceback" not in bad.err


def test_schemas_without_action_prints_usage(run_cli: RunCli) -> None:
    result = run_cli("schemas")
    assert result.code == 2
    assert "import" in result.err
