"""Schema locations (validate/locations.py): dirs of JSON Schemas and CRDs, one file,
kubeconform path templates; what cannot be a location is a usage error (exit 2)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gitops_guard.validate.locations import render, template_vars
from gitops_guard.validate.options import SchemaOptions
from tests.conftest import RunCli
from tests.validate.helpers import CRD, keyed, make_repo, schema_only


def test_schema_location_dir_of_crds_and_dir_of_imported_schemas_agree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path, "certificates.yaml", "widgets.yaml")
    crds = repo / "vendor" / "crds"
    crds.mkdir(parents=True)
    for name in ("certificate-crd.yaml", "widget-crd-v1beta1.yaml"):
        shutil.copy(CRD / name, crds / name)
    monkeypatch.chdir(repo)
    via_crds = run_cli("check", "--schema-location", "vendor/crds", "-o", "json", "manifests")
    imported = run_cli("schemas", "import", "--output-dir", "vendor/schemas",
                       "vendor/crds/certificate-crd.yaml", "vendor/crds/widget-crd-v1beta1.yaml")
    assert imported.code == 0
    via_schemas = run_cli("check", "--schema-location", "vendor/schemas", "-o", "json",
                          "manifests")
    assert via_crds.code == via_schemas.code == 1
    expected = keyed(schema_only(via_crds))
    assert len(expected) == 5
    assert keyed(schema_only(via_schemas)) == expected
    assert "(CRD widgets.example.com)" in via_crds.out
    assert "(schema vendor/schemas/widget-example-v1.json)" in via_schemas.out


def test_config_schemas_dirs_are_repo_relative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path, "widgets.yaml", config="schemas: [crds/]\n")
    (repo / "crds").mkdir()
    shutil.copy(CRD / "widget-crd-v1beta1.yaml", repo / "crds" / "widgets.yaml")
    monkeypatch.chdir(repo / "manifests")
    result = run_cli("check", "-o", "json", "widgets.yaml")
    assert [f["rule_id"] for f in schema_only(result)] == ["GG201", "GG202"]


@pytest.mark.parametrize("name", ["widget_v1.json", "example.com/widget_v1.json",
                                  "v1.37.0-standalone-strict/widget-example-v1.json"])
def test_schema_file_names_kubeconform_and_openapi2jsonschema_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli, name: str,
) -> None:
    repo = make_repo(tmp_path, "widgets.yaml", "widget-crd-v1beta1.yaml")
    monkeypatch.chdir(repo)
    assert run_cli("schemas", "import", "--output-dir", "out",
                   "manifests/widget-crd-v1beta1.yaml").code == 0
    (repo / "manifests" / "widget-crd-v1beta1.yaml").unlink()
    target = repo / "schemas" / name
    target.parent.mkdir(parents=True)
    (repo / "out" / "widget-example-v1.json").rename(target)
    result = run_cli("check", "--schema-location", "schemas", "-o", "json", "manifests")
    assert [(f["rule_id"], f["line"]) for f in schema_only(result)] == [
        ("GG201", 14), ("GG202", 15)]


def test_schema_location_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path, "widgets.yaml")
    monkeypatch.chdir(repo)
    (repo / "catalog" / "example.com").mkdir(parents=True)
    shutil.copy(CRD / "widget-crd-v1beta1.yaml", repo / "catalog" / "example.com" / "w.yaml")
    assert run_cli("schemas", "import", "--output-dir", "catalog/example.com",
                   "catalog/example.com/w.yaml").code == 0
    (repo / "catalog" / "example.com" / "widget-example-v1.json").rename(
        repo / "catalog" / "example.com" / "widget_v1-strict.json")
    template = ("catalog/{{ .Group }}/{{ .ResourceKind }}_{{.ResourceAPIVersion}}"
                "{{ .StrictSuffix }}.json")
    result = run_cli("check", "--schema-location", template, "-o", "json", "manifests")
    assert [f["rule_id"] for f in schema_only(result)] == ["GG201", "GG202"]
    # --no-strict renders another file name, which does not exist: no schema
    loose = run_cli("check", "--no-strict", "--schema-location", template, "-o", "json",
                    "manifests")
    assert {f["rule_id"] for f in schema_only(loose)} == {"GG210"}


def test_broken_schema_file_in_location_is_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path, "widgets.yaml")
    (repo / "schemas").mkdir()
    (repo / "schemas" / "widget-example-v1.json").write_text(
        '{\n  "type": "object",\n  "properties": {"spec": {"type": 7}}\n}\n')
    monkeypatch.chdir(repo)
    result = run_cli("check", "--schema-location", "schemas")
    assert result.code == 1
    assert "schemas/widget-example-v1.json:3:" in result.out
    assert "GG211" in result.out


def test_url_schema_location_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path, "widgets.yaml")
    monkeypatch.chdir(repo)
    url = "https://raw.githubusercontent.com/datreeio/CRDs-catalog/main/" \
          "{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json"
    result = run_cli("check", "--schema-location", url)
    assert result.code == 2
    (line,) = result.err.splitlines()
    assert "validates offline only" in line and "gitops-guard schemas import" in line


def test_missing_schema_dir_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path, "widgets.yaml", config="schemas: [vendor/schemas]\n")
    monkeypatch.chdir(repo)
    result = run_cli("check")
    assert result.code == 2
    assert result.err.strip() == \
        "gitops-guard: error: schema location vendor/schemas: no such directory"


def test_unknown_template_variable_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path, "widgets.yaml")
    monkeypatch.chdir(repo)
    result = run_cli("check", "--schema-location", "s/{{ .Kind }}.json")
    assert result.code == 2
    assert "unsupported template variable .Kind" in result.err


def test_schema_location_can_be_one_crd_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path, "widgets.yaml")
    shutil.copy(CRD / "widget-crd-v1beta1.yaml", repo / "widget-crd.yaml")
    monkeypatch.chdir(repo)
    result = run_cli("check", "--schema-location", "widget-crd.yaml", "-o", "json", "manifests")
    assert [f["rule_id"] for f in schema_only(result)] == ["GG201", "GG202"]


@pytest.mark.parametrize(("api_version", "kind", "strict", "path"), [
    ("apps/v1", "Deployment", True,
     "v1.31.0-standalone-strict/deployment-apps-v1.json apps/deployment_v1"),
    # kubeconform's quirk: the core group renders as `v1`
    ("v1", "ConfigMap", False, "v1.31.0-standalone/configmap-v1.json v1/configmap_v1"),
    ("cert-manager.io/v1", "Certificate", True,
     "v1.31.0-standalone-strict/certificate-cert-manager-v1.json "
     "cert-manager.io/certificate_v1"),
])
def test_templates_render_as_kubeconform_renders_them(
        api_version: str, kind: str, strict: bool, path: str) -> None:
    values = template_vars(api_version, kind, SchemaOptions("1.31", strict=strict))
    assert render("{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/"
                  "{{ .ResourceKind }}{{ .KindSuffix }}.json "
                  "{{.Group}}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}", values) == path
