"""CRDs become schemas (validate/crd.py): from the inputs, with their OpenAPI extensions."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.validate.helpers import line_of, make_repo, schema_only


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
