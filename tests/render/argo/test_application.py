"""Argo CD Applications found in a render: sources from this repo rendered, others skipped."""
from __future__ import annotations

from pathlib import Path

from gitops_guard.render import render_environment
from gitops_guard.render.model import Environment


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
