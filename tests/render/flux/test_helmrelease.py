"""Flux HelmRelease rendered as helm-controller installs it: remote charts from a
HelmRepository (HTTP and OCI) and an OCIRepository chartRef served on loopback,
valuesFrom ConfigMap / Secret with targetPath, releaseName / targetNamespace defaults,
install.crds, postRenderers and the origin labels."""
from __future__ import annotations

import base64
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitops_guard.model import Severity
from gitops_guard.render import render_environment
from gitops_guard.render.charts import ChartOptions
from gitops_guard.render.flux.helmrelease import release_name
from gitops_guard.render.model import Environment, RenderResult
from tests.fakes.helm_chart_repository import ChartRepository
from tests.fakes.oci_registry import OciRegistry
from tests.render.chart_fixtures import chart_repo, package, registry, write_chart  # noqa: F401

HELM = "helm.toolkit.fluxcd.io/v2"
SOURCE = "source.toolkit.fluxcd.io/v1"


def release(name: str, spec: dict[str, Any], namespace: str = "apps") -> dict[str, Any]:
    return {"apiVersion": HELM, "kind": "HelmRelease",
            "metadata": {"name": name, "namespace": namespace}, "spec": spec}


def helm_repository(url: str, oci: bool = False) -> dict[str, Any]:
    spec: dict[str, Any] = {"url": url, "interval": "1h"}
    if oci:
        spec.update(type="oci", insecure=True)
    return {"apiVersion": SOURCE, "kind": "HelmRepository",
            "metadata": {"name": "charts", "namespace": "flux-system"}, "spec": spec}


def chart_spec(version: str) -> dict[str, Any]:
    return {"chart": {"spec": {"chart": "podinfo", "version": version, "sourceRef": {
        "kind": "HelmRepository", "name": "charts", "namespace": "flux-system"}}}}


def fleet(tmp_path: Path, docs: list[dict[str, Any]]) -> Path:
    root = tmp_path / "fleet"
    (root / "clusters" / "prod").mkdir(parents=True)
    (root / "clusters" / "prod" / "apps.yaml").write_text(yaml.safe_dump_all(docs))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def render(root: Path, cache: Path, fetch: bool = True) -> RenderResult:
    env = Environment("prod", "clusters/prod", kind="plain",
                      charts=ChartOptions(cache, fetch=fetch, timeout_seconds=30, retries=0))
    return render_environment(env, root, use_cache=False)


def objects(result: RenderResult) -> dict[str, Any]:
    return {str(d.resource): d for d in result.documents}


def image(doc: Any) -> str:
    return str(doc.data["spec"]["template"]["spec"]["containers"][0]["image"])


def test_http_chart_values_from_and_post_render(chart_repo: ChartRepository,  # noqa: F811
                                                tmp_path: Path) -> None:
    secret_values = base64.b64encode(b"replicas: 4\n").decode()
    spec = {**chart_spec("^1.0"), "targetNamespace": "web",
            "valuesFrom": [{"kind": "ConfigMap", "name": "podinfo-values"},
                           {"kind": "Secret", "name": "podinfo-secret"},
                           {"kind": "ConfigMap", "name": "podinfo-values",
                            "valuesKey": "tag", "targetPath": "image.tag"},
                           {"kind": "Secret", "name": "absent", "optional": True}],
            "values": {"image": {"repository": "mirror/podinfo"}},
            "postRenderers": [{"kustomize": {"patches": [{
                "target": {"kind": "Deployment"},
                "patch": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: any\n"
                         "  labels: {patched: 'yes'}\n"}]}}]}
    root = fleet(tmp_path, [
        helm_repository(chart_repo.url), release("podinfo", spec),
        {"apiVersion": "v1", "kind": "ConfigMap",
         "metadata": {"name": "podinfo-values", "namespace": "apps"},
         "data": {"values.yaml": "replicas: 2\nimage:\n  tag: from-values\n",
                  "tag": "'1.2.3'"}},
        {"apiVersion": "v1", "kind": "Secret",
         "metadata": {"name": "podinfo-secret", "namespace": "apps"},
         "data": {"values.yaml": secret_values}}])
    result = render(root, tmp_path / "cache")
    deployment = objects(result)["Deployment web/web-podinfo"]
    assert deployment.data["spec"]["replicas"] == 4  # the Secret came after the ConfigMap
    assert image(deployment) == "mirror/podinfo:1.2.3"  # targetPath, quoted: a string
    assert deployment.data["metadata"]["labels"] == {
        "patched": "yes", "helm.toolkit.fluxcd.io/name": "podinfo",
        "helm.toolkit.fluxcd.io/namespace": "apps"}
    assert deployment.path == "clusters/prod/apps.yaml"  # the HelmRelease's file
    assert not result.findings


def test_oci_helm_repository_and_oci_repository_chart_ref(registry: OciRegistry,  # noqa: F811
                                                          tmp_path: Path) -> None:
    oci_repository = {"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "OCIRepository",
                      "metadata": {"name": "podinfo", "namespace": "apps"},
                      "spec": {"url": registry.url("charts/podinfo"), "insecure": True,
                               "ref": {"semver": "~1.0"}}}
    root = fleet(tmp_path, [
        helm_repository(registry.url("charts"), oci=True),
        release("from-helmrepo", chart_spec("1.x")),
        oci_repository,
        release("from-chartref", {"chartRef": {"kind": "OCIRepository", "name": "podinfo"},
                                  "install": {"crds": "Skip"}})])
    found = objects(render(root, tmp_path / "cache"))
    assert image(found["Deployment apps/from-helmrepo"]) == "example/podinfo:1.1.0"
    assert image(found["Deployment apps/from-chartref"]) == "example/podinfo:1.0.0"


def test_crds_installed_unless_skipped(tmp_path: Path, registry: OciRegistry  # noqa: F811
                                       ) -> None:
    import helm_python
    helm_python.push(package(tmp_path, "widgets", "1.0.0", crd=True), registry.url("charts"),
                     plain_http=True)
    spec = {"chart": {"spec": {"chart": "widgets", "version": "1.0.0", "sourceRef": {
        "kind": "HelmRepository", "name": "charts", "namespace": "flux-system"}}}}
    root = fleet(tmp_path, [helm_repository(registry.url("charts"), oci=True),
                            release("with", spec),
                            release("without", {**spec, "install": {"crds": "Skip"}},
                                    namespace="other")])
    found = objects(render(root, tmp_path / "cache"))
    assert "CustomResourceDefinition widgets.example.com" in found
    assert {"Deployment apps/with", "Deployment other/without"} <= set(found)


def test_offline_without_cache_is_one_note_naming_the_command(tmp_path: Path) -> None:
    root = fleet(tmp_path, [helm_repository("https://charts.example.com"),
                            release("podinfo", chart_spec("6.x"))])
    result = render(root, tmp_path / "cache", fetch=False)
    notes = [(f.rule_id, f.location.path, f.location.line, f.message) for f in result.findings]
    assert notes == [("GG104", "clusters/prod/apps.yaml", 10,
                      "not rendered: HelmRelease podinfo: chart podinfo 6.x from "
                      "https://charts.example.com (HelmRepository flux-system/charts) is not "
                      "in the chart cache and this run does not fetch; run `gitops-guard "
                      "charts pull` (or `check --fetch-charts`) to fetch it")]


def test_fetch_failure_is_a_warning(chart_repo: ChartRepository,  # noqa: F811
                                    tmp_path: Path) -> None:
    root = fleet(tmp_path, [helm_repository(chart_repo.url),
                            release("podinfo", chart_spec("~9.0"))])
    result = render(root, tmp_path / "cache")
    assert [(f.rule_id, f.severity) for f in result.findings] == [("GG110", Severity.WARNING)]
    assert "no version matches '~9.0'" in result.findings[0].message


def test_values_files_replace_the_chart_values(chart_repo: ChartRepository,  # noqa: F811
                                               tmp_path: Path) -> None:
    root = fleet(tmp_path, [helm_repository(chart_repo.url)])
    chart = write_chart(root, "local", "0.1.0").rename(root / "charts-local")
    (chart / "values-prod.yaml").write_text("replicas: 5\nimage: {repository: x, tag: prod}\n")
    source = {"kind": "GitRepository", "name": "flux-system", "namespace": "flux-system"}
    docs = [release("local", {"chart": {"spec": {
        "chart": "./charts-local", "sourceRef": source,
        "valuesFiles": ["charts-local/values-prod.yaml"]}}})]
    (root / "clusters" / "prod" / "local.yaml").write_text(yaml.safe_dump_all(docs))
    deployment = objects(render(root, tmp_path / "cache"))["Deployment apps/local"]
    assert deployment.data["spec"]["replicas"] == 5 and image(deployment) == "x:prod"
    assert deployment.path == "charts-local/templates/deployment.yaml"


@pytest.mark.parametrize(("spec", "expect"), [
    ({}, "podinfo"), ({"targetNamespace": "web"}, "web-podinfo"),
    ({"releaseName": "mine", "targetNamespace": "web"}, "mine"),
    ({"targetNamespace": "a-very-long-target-namespace-name-for-this-release"},
     "a-very-long-target-namespace-name-for-th-a98a75262155")])  # 58 chars: shortened
def test_release_name_like_the_controller(spec: dict[str, Any], expect: str) -> None:
    assert release_name(spec, "podinfo") == expect


def test_a_fetching_render_is_cached_only_for_an_exact_version_already_in_the_cache(
        chart_repo: ChartRepository, tmp_path: Path) -> None:  # noqa: F811
    """An exact version the chart cache holds is not fetched again, so its render may be
    served from the render cache; a range is resolved against the repository each run."""
    def render_cached(version: str) -> bool:
        root = fleet(tmp_path / version, [helm_repository(chart_repo.url),
                                          release("podinfo", chart_spec(version))])
        env = Environment("prod", "clusters/prod", kind="plain", charts=ChartOptions(
            tmp_path / "charts", fetch=True, timeout_seconds=30, retries=0))
        render_environment(env, root)
        return render_environment(env, root).cached

    assert not render_cached("^1.0")
    assert render_cached("1.1.0")
