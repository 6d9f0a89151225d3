"""Flux Kustomization (and the HelmRelease it applies) rendered as kustomize-controller does."""
from __future__ import annotations

from pathlib import Path

from gitops_guard.config import load_config
from gitops_guard.render import environments_from_config, render_environment
from gitops_guard.render.model import Environment
from tests.conftest import requires


def _envs(root: Path) -> dict[str, Environment]:
    return environments_from_config(load_config(root / ".gitops-guard.yaml", root))


@requires("helm")
def test_flux_monorepo_renders_per_environment(repo: Path) -> None:
    envs = _envs(repo)
    staging = render_environment(envs["staging"], repo, use_cache=False)
    production = render_environment(envs["production"], repo, use_cache=False)
    by_key = {str(d.resource): d for d in production.documents}
    podinfo = by_key["Deployment podinfo/podinfo"]
    # kustomize overlay + Flux postBuild substitute and substituteFrom ConfigMap
    assert podinfo.data["spec"]["replicas"] == 3
    assert podinfo.data["metadata"]["labels"]["env"] == "production"
    assert podinfo.data["spec"]["template"]["spec"]["containers"][0]["image"].endswith(":6.5.4")
    assert "annotations" not in podinfo.data["metadata"]  # origin annotations stripped
    assert podinfo.path == "apps/base/deployment.yaml" and podinfo.env == "production"
    assert podinfo.locate(("spec", "template")).line == 13
    assert str(podinfo.locate(("spec", "replicas"))) == "apps/production/replicas.yaml:6:3"
    # HelmRelease with a chart in this repo: valuesFrom ConfigMap then spec.values; CRDs too
    agent = by_key["Deployment guard-system/guard-agent"]
    assert agent.data["spec"]["replicas"] == 2
    assert agent.data["spec"]["template"]["spec"]["containers"][0]["image"].endswith(":1.4.2")
    assert agent.path == "infrastructure/charts/guard-agent/templates/deployment.yaml"
    assert "CustomResourceDefinition guardpolicies.guard.example.com" in by_key
    # the HelmRepository chart is remote: skipped, with the reason, as an info finding
    assert production.skipped == [
        "HelmRelease ingress-nginx: chart ingress-nginx 4.11.x from "
        "https://kubernetes.github.io/ingress-nginx (HelmRepository flux-system/ingress-nginx) "
        "is not in the chart cache and this run does not fetch; run `gitops-guard charts "
        "pull` (or `check --fetch-charts`) to fetch it"]
    assert [(f.rule_id, str(f.location)) for f in production.findings] == [
        ("GG104", "infrastructure/controllers/ingress-nginx.yaml:10:1")]
    staged = {str(d.resource): d for d in staging.documents}["Deployment podinfo/podinfo"]
    assert staged.data["spec"]["replicas"] == 1
    assert staged.data["spec"]["template"]["spec"]["containers"][0]["image"].endswith(":6.5.0")
