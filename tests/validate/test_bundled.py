"""The CRD schemas shipped for common GitOps controllers (validate/bundled.py, issue 13).

A new user's first `check` on a Flux or Argo CD repo must not warn "no schema" for every
HelmRelease, Kustomization, Certificate and Gateway, nor let a typo in them through.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gitops_guard.validate.bundled import BundledSchemas, bundled_dir
from gitops_guard.validate.crd import compile_schema, crd_versions, to_json_schema
from tests.conftest import DATA, GitRepo, RunCli
from tools.bundle_crds import ENUM_ADDITIONS, minimal_crd, strip

FIXTURES = DATA / "bundled"
SHIPPED = sorted(bundled_dir().glob("*/*.json"))


def schema_findings(run_cli: RunCli, *args: str) -> tuple[int, list[dict[str, Any]]]:
    result = run_cli("check", "--no-builtin", "-o", "json", *args)
    return result.code, [f for f in result.json()["findings"] if f["source"] == "schema"]


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "loose"])
def test_every_shipped_schema_compiles_and_is_named_for_its_kind(strict: bool) -> None:
    assert len(SHIPPED) >= 80
    readme = (bundled_dir() / "README.md").read_text()
    for path in SHIPPED:
        data = json.loads(path.read_text())
        assert path.parent.name == data["spec"]["group"], path
        assert path.stem == data["spec"]["names"]["kind"].lower(), path
        assert f"| {path.parent.name} |" in readme, path
        for version in crd_versions(data):
            compile_schema(to_json_schema(version, strict))


def test_a_fleet_repos_custom_resources_validate_without_findings(
    git_repo: GitRepo, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch,
) -> None:
    for fixture in FIXTURES.glob("*.yaml"):
        git_repo.write(f"clusters/{fixture.name}", fixture.read_text())
    monkeypatch.chdir(git_repo.root)
    code, found = schema_findings(run_cli, "clusters")
    assert (code, found) == (0, [])


@pytest.mark.parametrize(("fixture", "before", "after", "rule", "field", "crd"), [
    ("flux.yaml", "retryInterval: 2m", "retryIntervall: 2m", "GG202",
     "spec.install.strategy.retryIntervall",
     "helmreleases.helm.toolkit.fluxcd.io"),
    ("flux.yaml", "    - kind: HelmRelease", "    - kind: HelmRelaese",
     "GG201", "spec.eventSources[1].kind", "alerts.notification.toolkit.fluxcd.io"),
    ("platform.yaml", "    algorithm: ECDSA", "    algorithm: DSA", "GG201",
     "spec.privateKey.algorithm", "certificates.cert-manager.io"),
    ("platform.yaml", "      port: 80", "      port: eighty", "GG201",
     "spec.listeners[0].port", "gateways.gateway.networking.k8s.io"),
    ("platform.yaml", "    namespace: guestbook", "    namespacee: guestbook", "GG202",
     "spec.destination.namespacee", "applications.argoproj.io"),
    ("legacy-flux.yaml", "      version: \"17.x\"", "      versions: \"17.x\"", "GG202",
     "spec.chart.spec.versions", "helmreleases.helm.toolkit.fluxcd.io"),
    ("policy-and-mesh.yaml", "        property: password", "        propertee: password",
     "GG202", "spec.data[0].remoteRef.propertee", "externalsecrets.external-secrets.io"),
    ("policy-and-mesh.yaml", "              number: 80", "              number: http",
     "GG201", "spec.http[0].route[0].destination.port.number",
     "virtualservices.networking.istio.io"),
])
def test_a_mistake_in_a_custom_resource_is_an_error_at_its_field(
    git_repo: GitRepo, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch,
    fixture: str, before: str, after: str, rule: str, field: str, crd: str,
) -> None:
    text = (FIXTURES / fixture).read_text()
    assert before in text
    target = git_repo.write(fixture, text.replace(before, after, 1))
    monkeypatch.chdir(git_repo.root)
    code, found = schema_findings(run_cli, fixture)
    assert code == 1
    assert [(f["rule_id"], f["line"], f["field"]) for f in found] == [
        (rule, line_of(target, after.strip()), field)]
    assert f"bundled CRD {crd}" in found[0]["message"]


def test_with_no_strict_an_unknown_field_passes(
    git_repo: GitRepo, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (FIXTURES / "flux.yaml").read_text().replace("retryInterval:", "retryIntervall:")
    git_repo.write("flux.yaml", text)
    monkeypatch.chdir(git_repo.root)
    assert schema_findings(run_cli, "--no-strict", "flux.yaml") == (0, [])


SERVICE_MONITOR_CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: servicemonitors.monitoring.coreos.com
spec:
  group: monitoring.coreos.com
  names: {kind: ServiceMonitor, plural: servicemonitors}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              x-kubernetes-preserve-unknown-fields: true
"""

IN_HOUSE_MONITOR = """\
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: api
  namespace: shop
spec:
  selector: {matchLabels: {app: api}}
  endpoints: [{port: http}]
  scrapeEverything: true
"""


def test_a_crd_among_the_inputs_wins_over_the_shipped_one(
    git_repo: GitRepo, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch,
) -> None:
    git_repo.write("monitor.yaml", IN_HOUSE_MONITOR)
    monkeypatch.chdir(git_repo.root)
    code, found = schema_findings(run_cli, "monitor.yaml")
    assert (code, [(f["rule_id"], f["field"]) for f in found]) == (
        1, [("GG202", "spec.scrapeEverything")])
    git_repo.write("crds/servicemonitor.yaml", SERVICE_MONITOR_CRD)
    assert schema_findings(run_cli, "monitor.yaml", "crds") == (0, [])


def test_a_version_the_controller_no_longer_serves_is_named_in_the_hint(
    git_repo: GitRepo, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch,
) -> None:
    git_repo.write("old.yaml", "apiVersion: helm.toolkit.fluxcd.io/v2alpha1\n"
                               "kind: HelmRelease\nmetadata: {name: old}\nspec: {}\n")
    monkeypatch.chdir(git_repo.root)
    code, found = schema_findings(run_cli, "old.yaml")
    assert code == 0
    assert [(f["rule_id"], f["severity"]) for f in found] == [("GG210", "warning")]
    assert "the bundled CRD serves it as helm.toolkit.fluxcd.io/v2, " \
           "helm.toolkit.fluxcd.io/v2beta1" in found[0]["message"]


def test_a_kind_nothing_ships_is_still_reported_once() -> None:
    schemas = BundledSchemas(strict=True)
    assert schemas.lookup("widgets.example.com/v1", "Widget") is None
    assert schemas.lookup("../v1", "Widget") is None  # no path escapes the data dir
    assert schemas.served("v1", "ConfigMap") == []


# --- tools/bundle_crds.py: what the generator keeps ---------------------------------------

UPSTREAM_CRD: dict[str, Any] = {
    "metadata": {"name": "alerts.notification.toolkit.fluxcd.io"},
    "spec": {"group": "notification.toolkit.fluxcd.io", "names": {"kind": "Alert"},
             "scope": "Namespaced", "versions": [
        {"name": "v1beta1", "served": False, "schema": {"openAPIV3Schema": {}}},
        {"name": "v1beta3", "served": True, "schema": {"openAPIV3Schema": {
            "description": "Alert is the Schema for the alerts API",
            "type": "object",
            "properties": {
                "spec": {"type": "object", "properties": {
                    "description": {"type": "string", "description": "a field so named"},
                    "eventSources": {"type": "array", "items": {
                        "type": "object",
                        "x-kubernetes-validations": [{"rule": "self.name != ''"}],
                        "properties": {"kind": {"type": "string",
                                                "enum": ["Bucket", "HelmRelease"]}}}}}},
                "status": {"type": "object", "properties": {"conditions": {
                    "type": "array", "items": {"type": "object"}}}},
            }}}},
    ]},
}


def test_the_generator_strips_prose_and_rules_but_keeps_fields() -> None:
    out = minimal_crd(UPSTREAM_CRD, "fluxcd/notification-controller v1.9.0")
    assert [v["name"] for v in out["spec"]["versions"]] == ["v1beta3"]
    schema = out["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    spec = schema["properties"]["spec"]
    assert "description" not in schema
    assert spec["properties"]["description"] == {"type": "string"}
    assert "x-kubernetes-validations" not in spec["properties"]["eventSources"]["items"]
    kind = spec["properties"]["eventSources"]["items"]["properties"]["kind"]
    assert kind["enum"] == ["Bucket", "HelmRelease", *ENUM_ADDITIONS[
        "alerts.notification.toolkit.fluxcd.io"][1]]
    assert schema["properties"]["status"] == {
        "type": "object", "x-kubernetes-preserve-unknown-fields": True}
    assert strip({"items": [{"description": "x", "type": "string"}]}) == {
        "items": [{"type": "string"}]}


def test_a_kind_a_newer_kubernetes_serves_names_the_version_to_set(
    git_repo: GitRepo, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """home-ops' DRA claim and MutatingAdmissionPolicy: built-in kinds of newer clusters,
    checked against the config's older version; the hint says so, not "add its CRD"."""
    git_repo.write("claim.yaml", "apiVersion: resource.k8s.io/v1\nkind: ResourceClaimTemplate\n"
                                 "metadata: {name: gpu, namespace: media}\nspec: {spec: {}}\n")
    monkeypatch.chdir(git_repo.root)
    code, found = schema_findings(run_cli, "--kubernetes-version", "1.32", "claim.yaml")
    assert (code, [f["rule_id"] for f in found]) == (0, ["GG210"])
    assert found[0]["message"] == (
        "no schema for ResourceClaimTemplate resource.k8s.io/v1; Kubernetes 1.34 serves "
        "resource.k8s.io/v1: set kubernetes_version (or --kubernetes-version) to the "
        "cluster's")
    assert schema_findings(run_cli, "--kubernetes-version", "1.34", "claim.yaml") == (0, [])
