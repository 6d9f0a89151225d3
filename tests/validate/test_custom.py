"""Custom schemas: config globs map any file to a JSON Schema; violations are GG220."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DATA, CliResult, RunCli

CUSTOM = DATA / "crd" / "custom"
CONFIG = """\
custom_schemas:
  - files: "**/values*.yaml"
    schema: charts/app/values.schema.json
"""



def schema_only(result: CliResult) -> list[dict[str, Any]]:
    """Schema findings only: the built-in policies have their own tests."""
    return [f for f in result.json()["findings"] if f["source"] == "schema"]

def make_repo(tmp_path: Path, config: str = CONFIG) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, timeout=30)
    chart = tmp_path / "charts" / "app"
    chart.mkdir(parents=True)
    for name in ("values.schema.json", "definitions.json", "values.yaml", "values-prod.yaml"):
        shutil.copy(CUSTOM / name, chart / name)
    (tmp_path / ".gitops-guard.yaml").write_text(config)
    return tmp_path


def test_matching_files_are_validated_at_the_field_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    monkeypatch.chdir(make_repo(tmp_path))
    result = run_cli("check", "-o", "json")
    assert result.code == 1
    found = [(f["rule_id"], f["path"], f["line"], f["field"])
             for f in schema_only(result)]
    prod = "charts/app/values-prod.yaml"
    assert found == [
        ("GG220", prod, 2, "replicaCount"),
        ("GG220", prod, 5, "image.tag"),
        ("GG220", prod, 6, "image.pullPolicy"),
        ("GG220", prod, 9, "resources.limits.cpu"),  # through the local $ref
        ("GG220", prod, 10, "replicaCont"),
    ]
    text = run_cli("check")
    assert "charts/app/values-prod.yaml:10:1: error   GG220  unknown field \"replicaCont\" " \
           "(custom schema charts/app/values.schema.json)" in text.out


def test_only_matching_files_are_validated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path, CONFIG.replace("values*.yaml", "values.yaml"))
    monkeypatch.chdir(repo)
    result = run_cli("check", "-o", "json")
    assert schema_only(result) == []
    assert result.code == 0


def test_kubernetes_documents_get_the_custom_schema_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path, CONFIG + """\
  - files: "apps/*.yaml"
    schema: policy/labels.schema.json
""")
    (repo / "policy").mkdir()
    (repo / "policy" / "labels.schema.json").write_text(
        '{"properties": {"metadata": {"required": ["labels"]}}}\n')
    (repo / "apps").mkdir()
    (repo / "apps" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata: {a: b}\n")
    (repo / "charts" / "app" / "values-prod.yaml").unlink()
    monkeypatch.chdir(repo)
    result = run_cli("check", "-o", "json")
    (finding,) = schema_only(result)
    assert (finding["rule_id"], finding["path"], finding["line"]) == ("GG220", "apps/cm.yaml", 3)
    assert finding["resource"]["name"] == "settings"
    assert "policy/labels.schema.json" in finding["message"]


def test_missing_schema_file_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path, CONFIG.replace("charts/app/values", "charts/gone/values"))
    monkeypatch.chdir(repo)
    result = run_cli("check")
    assert result.code == 2
    assert result.err.strip() == (
        "gitops-guard: error: .gitops-guard.yaml: custom_schemas[0] (files: '**/values*.yaml'):"
        " schema charts/gone/values.schema.json: no such file")


def test_invalid_schema_is_a_config_error_naming_the_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path)
    (repo / "charts" / "app" / "values.schema.json").write_text(
        '{\n  "type": "object",\n  "properties": {"a": {"minimum": "one"}}\n}\n')
    monkeypatch.chdir(repo)
    result = run_cli("check")
    assert result.code == 2
    assert "custom_schemas[0] (files: '**/values*.yaml'): schema " \
           "charts/app/values.schema.json:3:" in result.err
    assert "Traceback" not in result.err


def test_unparsable_schema_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path)
    (repo / "charts" / "app" / "values.schema.json").write_text('{"type": "object",\n')
    monkeypatch.chdir(repo)
    result = run_cli("check")
    assert result.code == 2
    assert "custom_schemas[0]" in result.err and "values.schema.json:" in result.err


def test_remote_refs_are_not_fetched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path)
    (repo / "charts" / "app" / "values.schema.json").write_text(
        '{"$ref": "https://example.com/values.schema.json"}\n')
    monkeypatch.chdir(repo)
    result = run_cli("check")
    assert result.code == 2
    assert "offline" in result.err and "https://example.com/values.schema.json" in result.err


def test_refs_outside_the_repo_are_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text('{"enum": ["secret-value"]}\n')
    repo = make_repo(tmp_path / "repo")
    (repo / "charts" / "app" / "values.schema.json").write_text(
        '{"properties": {"image": {"$ref": "../../../outside.json"}}}\n')
    monkeypatch.chdir(repo)
    result = run_cli("check")
    assert result.code == 2
    assert "$ref outside the repository" in result.err
    assert "secret-value" not in result.err + result.out
