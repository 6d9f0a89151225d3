"""CRD rules from a schema location (validate/apiserver/located.py): a CRD manifest in a
--schema-location dir, a JSON Schema converted from one, a path template; each gives the
same CEL rules, list types and formats as the CRD among the inputs."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import DATA, RunCli

FIXTURES = DATA / "apiserver"
Seen = set[tuple[str, int, int, str]]


def findings(run_cli: RunCli, repo: Path, *args: str) -> Seen:
    result = run_cli("check", str(repo), "--no-builtin", "-o", "json", *args)
    assert result.code == 1, result.err
    return {(f["rule_id"], f["line"], f["column"], f["message"].rsplit(" (CRD ", 1)[0])
            for f in result.json()["findings"]
            if f["source"] == "apiserver" and f["path"].endswith("widgets.yaml")}


def repo_with_widgets(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(FIXTURES / "widgets.yaml", repo / "widgets.yaml")
    return repo


@pytest.fixture
def with_crd_in_inputs(tmp_path: Path, run_cli: RunCli) -> Seen:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for name in ("widget-crd.yaml", "widgets.yaml"):
        shutil.copy(FIXTURES / name, inputs / name)
    seen = findings(run_cli, inputs)
    assert {f[0] for f in seen} >= {"GG236", "GG234", "GG239"}
    return seen


def test_a_crd_in_a_schema_dir_brings_its_rules(tmp_path: Path, run_cli: RunCli,
                                                 with_crd_in_inputs: Seen) -> None:
    schemas = tmp_path / "schemas" / "example.com"
    schemas.mkdir(parents=True)
    shutil.copy(FIXTURES / "widget-crd.yaml", schemas / "widget-crd.yaml")
    repo = repo_with_widgets(tmp_path)
    assert findings(run_cli, repo, "--schema-location", str(tmp_path / "schemas")) \
        == with_crd_in_inputs


def openapi2jsonschema(tmp_path: Path) -> Path:
    """The CRD's schema as openapi2jsonschema writes it: one JSON file per kind."""
    crd: dict[str, Any] = yaml.safe_load((FIXTURES / "widget-crd.yaml").read_text())
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    out = tmp_path / "json-schemas" / "widget-example-v1.json"
    out.parent.mkdir()
    out.write_text(json.dumps(schema, indent=2))
    return out


def test_a_json_schema_with_rules_brings_them(tmp_path: Path, run_cli: RunCli,
                                              with_crd_in_inputs: Seen) -> None:
    schema = openapi2jsonschema(tmp_path)
    repo = repo_with_widgets(tmp_path)
    # a dir searched by file name, and a kubeconform path template
    for location in (str(schema.parent),
                     str(schema.parent / "{{ .ResourceKind }}{{ .KindSuffix }}.json")):
        assert findings(run_cli, repo, "--schema-location", location) == with_crd_in_inputs


def test_a_location_without_the_kind_adds_nothing(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "empty").mkdir()
    repo = repo_with_widgets(tmp_path)
    result = run_cli("check", str(repo), "--no-builtin", "-o", "json",
                     "--schema-location", str(tmp_path / "empty"))
    rules = {f["rule_id"] for f in result.json()["findings"] if f["source"] == "apiserver"}
    assert rules == {"GG231"}  # ObjectMeta only (its label): no CRD rules without a CRD
