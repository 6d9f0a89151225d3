"""The Application tests' helpers: an Application for a source, a render of the
app_repo fixture (tests/render/argo/conftest.py) with Applications, its objects."""
from __future__ import annotations

from typing import Any

from gitops_guard.render import render_environment
from gitops_guard.render.model import Environment, RenderResult
from tests.plan.helpers import GitRepo
from tests.render.argo.helpers import URL

DEPLOY: dict[str, Any] = {
    "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
          "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                   "template": {"metadata": {"labels": {"app": "web"}},
                                "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]}}}}
ROLE = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
        "metadata": {"name": "reader", "namespace": "stray"}, "rules": []}
CONFIG = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "pinned",
                                                               "namespace": "kept"}}
CHART = """\
apiVersion: v2
name: web
version: 1.0.0
"""
CHART_TEMPLATE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels: {tier: {{ .Values.tier | quote }}, region: {{ .Values.region | quote }}}
spec:
  replicas: {{ .Values.replicas }}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: "nginx:{{ .Values.tag }}"
        env: [{name: CERT, value: {{ .Values.cert | quote }}}]
"""
CRD = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
       "metadata": {"name": "widgets.example.com"},
       "spec": {"group": "example.com", "scope": "Namespaced",
                "names": {"kind": "Widget", "plural": "widgets"},
                "versions": [{"name": "v1", "served": True, "storage": True,
                              "schema": {"openAPIV3Schema": {"type": "object"}}}]}}


def app(name: str, source: dict[str, Any] | None = None, namespace: str = "",
        sources: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"project": "default",
                            "destination": {"server": "https://kubernetes.default.svc",
                                            "namespace": namespace or name}}
    if sources is not None:
        spec["sources"] = sources
    else:
        spec["source"] = {"repoURL": URL, "targetRevision": "HEAD", **(source or {})}
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
            "metadata": {"name": name, "namespace": "argocd"}, "spec": spec}


def render(repo: GitRepo, apps: list[dict[str, Any]]) -> RenderResult:
    repo.write("argo/apps.yaml", apps)
    return render_environment(Environment("argo", "argo", "plain"), repo.root, use_cache=False)


def objects(result: RenderResult, skip_apps: bool = True) -> dict[str, dict[str, Any]]:
    return {str(d.resource): d.data for d in result.documents
            if not (skip_apps and d.data.get("kind") == "Application")}
