"""Environments rendered through real kubectl kustomize and real Helm (helm-python-sdk)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from gitops_guard.config import load_config
from gitops_guard.render import (
    affected_environments,
    environments_from_config,
    render_environment,
)
from gitops_guard.render.model import Environment
from tests.conftest import DATA, RunCli

MONOREPO = DATA / "render" / "flux-monorepo"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "fleet"
    shutil.copytree(MONOREPO, root)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "remote", "add", "origin",
                    "git@github.com:example/fleet.git"], check=True)
    return root


def _envs(root: Path) -> dict[str, Environment]:
    return environments_from_config(load_config(root / ".gitops-guard.yaml", root))


def test_environments_from_config_detects_kinds(repo: Path) -> None:
    envs = _envs(repo)
    assert sorted(envs) == ["production", "staging"]
    assert envs["staging"].kind == "plain" and envs["staging"].kubernetes_version == "1.31"


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
    assert production.skipped == ["HelmRelease ingress-nginx: chart ingress-nginx: source "
                                  "HelmRepository/ingress-nginx is not a Git repository"]
    assert [(f.rule_id, str(f.location)) for f in production.findings] == [
        ("GG104", "infrastructure/controllers/ingress-nginx.yaml:10:1")]
    staged = {str(d.resource): d for d in staging.documents}["Deployment podinfo/podinfo"]
    assert staged.data["spec"]["replicas"] == 1
    assert staged.data["spec"]["template"]["spec"]["containers"][0]["image"].endswith(":6.5.0")


def test_check_env_reports_broken_patch_in_the_patch_file(repo: Path, run_cli: RunCli) -> None:
    patch = repo / "apps/production/replicas.yaml"
    patch.write_text(patch.read_text().replace("replicas: 3", 'replicas: "two"'))
    result = run_cli("-C", str(repo), "check", "--env", "production", "-o", "json")
    assert result.code == 1, result.err
    errors = [f for f in result.json()["findings"] if f["severity"] == "error"]
    assert len(errors) == 1, errors
    assert errors[0]["rule_id"].startswith("GG2")
    assert errors[0]["path"] == "apps/production/replicas.yaml"
    assert errors[0]["line"] == 6
    assert errors[0]["env"] == "production"
    staging = run_cli("-C", str(repo), "check", "--env", "staging", "-o", "json")
    assert staging.code == 0, staging.out
    assert all(f["env"] == "staging" for f in staging.json()["findings"])


def test_check_without_paths_covers_every_environment(repo: Path, run_cli: RunCli) -> None:
    result = run_cli("-C", str(repo), "check", "-o", "json")
    assert result.code == 0, result.out
    # A finding from a base both environments share names both: "production, staging".
    envs = {f["env"] for f in result.json()["findings"]}
    assert {e for env in envs for e in env.split(", ")} == {"staging", "production"}
    assert "production, staging" in envs


def test_unknown_environment_is_a_usage_error(repo: Path, run_cli: RunCli) -> None:
    result = run_cli("-C", str(repo), "check", "--env", "qa")
    assert result.code == 2
    assert "--env qa: no such environment" in result.err


def test_affected_environments(repo: Path) -> None:
    envs = _envs(repo)
    assert affected_environments(["apps/base/deployment.yaml"], envs, repo) == [
        "staging", "production"]
    assert affected_environments(["apps/production/replicas.yaml"], envs, repo) == [
        "production"]
    assert affected_environments(["clusters/staging/apps.yaml"], envs, repo) == ["staging"]
    assert affected_environments(["infrastructure/charts/guard-agent/values.yaml"], envs,
                                 repo) == ["staging", "production"]
    assert affected_environments(["README.md", "apps/other/x.yaml"], envs, repo) == []


def test_second_render_is_served_from_the_cache(repo: Path) -> None:
    env = _envs(repo)["production"]
    first = render_environment(env, repo)
    second = render_environment(env, repo)
    assert not first.cached and second.cached
    assert [d.data for d in second.documents] == [d.data for d in first.documents]
    assert [str(d.locate(("spec", "replicas"))) for d in second.documents] == [
        str(d.locate(("spec", "replicas"))) for d in first.documents]
    (repo / "apps/base/service.yaml").write_text(
        (repo / "apps/base/service.yaml").read_text().replace("9898\n", "9899\n", 1))
    third = render_environment(env, repo)
    assert not third.cached
    assert list((repo / ".gitops-guard-cache/render").glob("*.json"))


CHART = "infrastructure/charts/guard-agent"


def _chart_env(root: Path, **extra: object) -> Environment:
    return Environment("agent", CHART, "helm", namespace="guard", **extra)  # type: ignore[arg-type]


def test_helm_chart_environment_with_values(repo: Path) -> None:
    (repo / "agent-values.yaml").write_text("replicaCount: 4\n")
    env = _chart_env(repo, values=("agent-values.yaml",), set_values={"image": {"tag": "9"}})
    result = render_environment(env, repo, use_cache=False)
    deploy = next(d for d in result.documents if d.data["kind"] == "Deployment")
    assert deploy.data["spec"]["replicas"] == 4
    assert deploy.data["metadata"]["namespace"] == "guard"
    assert deploy.data["spec"]["template"]["spec"]["containers"][0]["image"].endswith(":9")
    assert any(d.data["kind"] == "CustomResourceDefinition" for d in result.documents)


def test_chart_template_error_names_template_file_and_line(repo: Path) -> None:
    template = repo / CHART / "templates/deployment.yaml"
    template.write_text(template.read_text().replace(
        "{{ .Values.replicaCount }}", '{{ required "replicaCount is required" .Values.nope }}'))
    result = render_environment(_chart_env(repo), repo, use_cache=False)
    assert result.documents == []
    (finding,) = result.findings
    assert finding.rule_id == "GG102"
    assert finding.location.path == f"{CHART}/templates/deployment.yaml"
    assert finding.location.line == 9
    assert "replicaCount is required" in finding.message


def test_missing_chart_dependency_is_a_finding(repo: Path) -> None:
    chart_yaml = repo / CHART / "Chart.yaml"
    chart_yaml.write_text(chart_yaml.read_text() + "dependencies:\n  - name: redis\n"
                          "    version: 1.0.0\n    repository: https://charts.example.com\n")
    result = render_environment(_chart_env(repo), repo, use_cache=False)
    assert result.documents == []
    (finding,) = result.findings
    assert (finding.rule_id, str(finding.location)) == ("GG103", f"{CHART}/Chart.yaml:6:5")


def test_argo_application_from_this_repo_and_remote_skipped(repo: Path) -> None:
    argo = repo / "argo"
    argo.mkdir()
    (argo / "apps.yaml").write_text("""\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: podinfo-staging, namespace: argocd}
spec:
  project: default
  source: {repoURL: https://github.com/example/fleet, path: apps/staging, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: podinfo}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: agent, namespace: argocd}
spec:
  project: default
  source:
    repoURL: https://github.com/example/fleet.git
    path: infrastructure/charts/guard-agent
    helm: {parameters: [{name: replicaCount, value: "5"}]}
  destination: {server: https://kubernetes.default.svc, namespace: guard}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: elsewhere, namespace: argocd}
spec:
  project: default
  source: {repoURL: https://github.com/other/repo, path: deploy}
  destination: {server: https://kubernetes.default.svc, namespace: other}
""")
    result = render_environment(Environment("argo", "argo", "plain"), repo, use_cache=False)
    kinds = {str(d.resource) for d in result.documents}
    assert "Deployment podinfo/podinfo" in kinds
    agent = next(d for d in result.documents if str(d.resource) == "Deployment guard/agent")
    assert agent.data["spec"]["replicas"] == 5
    assert result.skipped == [
        "Application elsewhere: Application elsewhere: https://github.com/other/repo is not "
        "this repository"]
