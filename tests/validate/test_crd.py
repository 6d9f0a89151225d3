"""CRDs become schemas: from the inputs, from --schema-location dirs, templates and config."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DATA, CliResult, RunCli

CRD = DATA / "crd"



def schema_only(result: CliResult) -> list[dict[str, Any]]:
    """Schema findings only: the built-in policies have their own tests."""
    return [f for f in result.json()["findings"] if f["source"] == "schema"]

def make_repo(tmp_path: Path, *files: str, config: str | None = None) -> Path:
    """A real git repo holding copies of the named fixtures under manifests/."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, timeout=30)
    (tmp_path / "manifests").mkdir()
    for name in files:
        shutil.copy(CRD / name, tmp_path / "manifests" / name)
    if config is not None:
        (tmp_path / ".gitops-guard.yaml").write_text(config)
    return tmp_path


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    hits = [i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def keyed(findings: list[dict[str, Any]]) -> list[tuple[str, str, int, int, str]]:
    return sorted((f["rule_id"], f["path"], f["line"], f["column"], f["field"])
                  for f in findings)


def test_custom_resources_validate_against_the_crd_in_the_repo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path, "certificate-crd.yaml", "certificates.yaml")
    monkeypatch.chdir(repo)
    result = run_cli("check")
    assert result.code == 1
    crs = repo / "manifests" / "certificates.yaml"
    path = "manifests/certificates.yaml"
    lines = [line.strip() for line in result.out.splitlines()]
    duration = line_of(crs, "duration: 90 days")
    assert any(line.startswith(f"{path}:{duration}:3: error") and "GG201" in line
               and "spec.duration" in line and "CRD certificates.certs.example.io" in line
               and "[Certificate shop/api]" in line for line in lines), result.out
    sizee = line_of(crs, "sizee: 384")
    assert any(line.startswith(f"{path}:{sizee}:5: error") and "GG202" in line
               and 'unknown field "spec.privateKey.sizee"' in line for line in lines)
    # the v1beta1 version has its own schema
    algo = line_of(crs, "keyAlgorithm: dsa")
    assert any(line.startswith(f"{path}:{algo}:3: error") and '"dsa" is not one of' in line
               for line in lines)
    # int-or-string by name, nullable nulls, preserved unknown fields and an embedded
    # resource in the `web` Certificate are all valid
    assert "shop/web" not in result.out
    assert lines[-1].startswith("2 files, 4 resources, 3 errors, 0 warnings")


def test_no_strict_allows_unknown_fields_in_custom_resources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path, "certificate-crd.yaml", "certificates.yaml")
    monkeypatch.chdir(repo)
    result = run_cli("check", "--no-strict", "-o", "json")
    rules = [f["rule_id"] for f in schema_only(result)]
    assert rules == ["GG201", "GG201"]


CERT = """\
apiVersion: certs.example.io/v1
kind: Certificate
metadata: {name: edge, namespace: shop}
spec:
  secretName: edge-tls
  issuerRef: {name: ca}
"""


@pytest.mark.parametrize(("extra", "rule", "field"), [
    ("  keystorePort: 1.5\n", "GG201", "spec.keystorePort"),
    ("  keystorePort: {port: 1}\n", "GG201", "spec.keystorePort"),
    ("  commonName: null\n", "GG201", "spec.commonName"),
    ("  privateKey: {rotationPolicy: Sometimes}\n", "GG201", "spec.privateKey.rotationPolicy"),
    ("  privateKey: {size: 0}\n", "GG201", "spec.privateKey.size"),
    ("  revisionHistoryLimit: 0\n", "GG201", "spec.revisionHistoryLimit"),
    ("  podTemplate: {apiVersion: v1, metadata: {name: x}}\n", "GG203", "spec.podTemplate.kind"),
    ("  podTemplate: {apiVersion: v1, kind: Pod, metadata: []}\n", "GG201",
     "spec.podTemplate.metadata"),
    ("  secretTemplate: {labels: {a: 1}}\n", "GG201", "spec.secretTemplate.labels.a"),
    ("  issuerConfig: {timeout: 5}\n", "GG201", "spec.issuerConfig.timeout"),
    ("status: {conditions: [{type: Ready}]}\n", "GG203", "status.conditions[0].status"),
])
def test_openapi_extensions_are_translated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
    extra: str, rule: str, field: str,
) -> None:
    repo = make_repo(tmp_path, "certificate-crd.yaml")
    (repo / "manifests" / "edge.yaml").write_text(CERT + extra)
    monkeypatch.chdir(repo)
    result = run_cli("check", "-o", "json")
    (finding,) = schema_only(result)
    assert (finding["rule_id"], finding["field"]) == (rule, field)
    assert finding["path"] == "manifests/edge.yaml"
    assert finding["line"] == (CERT + extra).count("\n")
    assert result.code == 1


def test_valid_edge_values_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path, "certificate-crd.yaml")
    (repo / "manifests" / "edge.yaml").write_text(
        CERT + "  keystorePort: 8443\n  privateKey: {size: 1, rotationPolicy: null}\n"
        "  issuerConfig: {timeout: 5s, extra: {deep: [1, 2]}}\n")
    monkeypatch.chdir(repo)
    result = run_cli("check", "-o", "json")
    assert schema_only(result) == []
    assert result.code == 0


def test_unserved_version_has_no_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path, "certificate-crd.yaml")
    (repo / "manifests" / "old.yaml").write_text(CERT.replace("/v1\n", "/v1alpha1\n"))
    monkeypatch.chdir(repo)
    (finding,) = schema_only(run_cli("check", "-o", "json"))
    assert finding["rule_id"] == "GG210"
    assert "certs.example.io/v1alpha1" in finding["message"]


def test_v1beta1_crd_with_spec_validation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path, "widget-crd-v1beta1.yaml", "widgets.yaml")
    monkeypatch.chdir(repo)
    result = run_cli("check", "-o", "json")
    found = [(f["rule_id"], f["line"], f["field"])
             for f in schema_only(result) if f["path"].endswith("widgets.yaml")]
    assert found == [("GG201", 14, "spec.size"), ("GG202", 15, "spec.colour")]


def test_broken_crds_are_findings_at_the_crd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    repo = make_repo(tmp_path, "broken-crds.yaml", "gadget.yaml")
    monkeypatch.chdir(repo)
    result = run_cli("check")
    assert result.code == 1
    assert "Traceback" not in result.err
    crds = repo / "manifests" / "broken-crds.yaml"
    path = "manifests/broken-crds.yaml"
    bad_type = line_of(crds, "type: strng")
    assert f"{path}:{bad_type}:19: error   GG211  CRD gadgets.example.com version v1: " \
           "invalid schema" in result.out
    assert "CRD gizmos.example.com has no openAPIV3Schema for version v1" in result.out
    # the resource of a broken CRD is not reported again
    assert not [line for line in result.out.splitlines() if "gadget.yaml:" in line
                and " GG2" in line]


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
