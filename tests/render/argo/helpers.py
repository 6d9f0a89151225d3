"""A fleet repository for the ApplicationSet tests: apps/ directories, clusters/ config
files, and an ApplicationSet rendered from argo/ (its generated Applications, then theirs)."""
from __future__ import annotations

from typing import Any

from gitops_guard.render import render_environment
from gitops_guard.render.model import Environment, RenderResult
from tests.plan.helpers import GitRepo

URL = "https://github.com/example/fleet.git"


def cm(name: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}}


def appset(generators: list[dict[str, Any]], template: dict[str, Any], go: bool = False,
           **extra: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"generators": generators, "template": template, **extra}
    if go:
        spec["goTemplate"] = True
        spec["goTemplateOptions"] = ["missingkey=error"]
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationSet",
            "metadata": {"name": "set", "namespace": "argocd"}, "spec": spec}


def template(name: str, path: str, namespace: str) -> dict[str, Any]:
    return {"metadata": {"name": name},
            "spec": {"project": "default",
                     "source": {"repoURL": URL, "targetRevision": "HEAD", "path": path},
                     "destination": {"server": "{{server}}" if "{{" not in namespace else
                                     "https://kubernetes.default.svc", "namespace": namespace}}}


def render(repo: GitRepo, docs: list[dict[str, Any]],
           clusters: tuple[dict[str, Any], ...] = ()) -> RenderResult:
    repo.write("argo/set.yaml", docs)
    env = Environment("argo", "argo", "plain", argocd_clusters=clusters)
    return render_environment(env, repo.root, use_cache=False)


def apps(result: RenderResult) -> dict[str, dict[str, Any]]:
    return {d.data["metadata"]["name"]: d.data for d in result.documents
            if d.data.get("kind") == "Application"}
