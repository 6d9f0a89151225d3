"""Argo CD `Application` (argoproj.io): what the repo-server renders for each source, and
how the application controller then places it.


Per source (`source`, or each of `sources`; a source with only `ref` supplies files):
- where and what (app_source.py): `repoURL` this repository at `targetRevision`, a
  Helm chart through the chart cache, or not rendered (GG104); the explicit type, else
  discovered like the repo-server; config-management plugins and jsonnet are not
  rendered offline (GG104, with why);
- rendered with its tool (app_render.py): directory, Kustomize, Helm;
- then, as the controller's NormalizeTargetObjects does, every namespaced object
  without a namespace gets `destination.namespace` and cluster-scoped ones lose theirs.
Applications among the results are followed (app of apps).
"""
from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Any

from gitops_guard.kinds import CLUSTER_SCOPED
from gitops_guard.render.argo import helm_source
from gitops_guard.render.argo.app_render import App
from gitops_guard.render.argo.app_source import render_source
from gitops_guard.render.repo import is_this_repo
from gitops_guard.render.resolve import Resolver, group_kind, name_namespace
from gitops_guard.render.sources import Rendered, as_dict

GROUP_KIND = ("argoproj.io", "Application")


def paths(doc: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Repo paths of the sources (whatever their repoURL: a superset)."""
    spec = as_dict(doc.get("spec"))
    for source in [spec.get("source"), *(spec.get("sources") or ())]:
        if isinstance(source, dict) and isinstance(source.get("path"), str) and (
                "{{" not in source["path"]):
            yield posixpath.normpath(source["path"].lstrip("/")) or ".", ""


def render(resolver: Resolver, item: Rendered, depth: int) -> None:
    render_app(resolver, item, item.data, depth)


def render_app(resolver: Resolver, item: Rendered, app: dict[str, Any], depth: int) -> None:
    """Render the sources of `app` (the object `item` itself, or one an ApplicationSet made)."""
    spec = as_dict(app.get("spec"))
    name, app_ns = name_namespace(app)
    sources = [spec["source"]] if isinstance(spec.get("source"), dict) else [
        s for s in spec.get("sources") or () if isinstance(s, dict)]
    if not sources:
        resolver.missing(item, f"Application {name}: no source or sources")
        return
    if not resolver.enter(f"Application {app_ns}/{name}", item, depth):
        return
    refs = helm_source.RefRoots({
        str(s["ref"]): (resolver.root if is_this_repo(str(s.get("repoURL", "")), resolver.root)
                        else None) for s in sources if s.get("ref")})
    ctx = App(item, name, str(as_dict(spec.get("destination")).get("namespace") or ""),
              str(spec.get("project") or "default"), refs)
    out: list[Rendered] = []
    for source in sources:
        if source.get("ref") and not source.get("path") and not source.get("chart"):
            continue  # supplies `$ref/...` files only
        out.extend(render_source(resolver, ctx, source))
    place_in_namespace(out, ctx.namespace)
    resolver.add(out, depth + 1)


def _cluster_scoped(items: list[Rendered]) -> set[tuple[str, str]]:
    """Kinds the API server serves cluster-wide: the known ones and CRDs in this render."""
    scoped = set(CLUSTER_SCOPED)
    for item in items:
        data = item.data
        if isinstance(data, dict) and data.get("kind") == "CustomResourceDefinition":
            spec = as_dict(data.get("spec"))
            if spec.get("scope") == "Cluster":
                scoped.add((str(spec.get("group", "")), str(as_dict(spec.get("names")).get(
                    "kind", ""))))
    return scoped


def place_in_namespace(items: list[Rendered], namespace: str) -> None:
    """The controller's NormalizeTargetObjects: namespaced objects without a namespace get
    `destination.namespace`; cluster-scoped objects lose any namespace they carry."""
    scoped = _cluster_scoped(items)
    for item in items:
        data = item.data
        if not isinstance(data, dict) or not isinstance(data.get("metadata"), dict):
            continue
        meta = data["metadata"]
        if group_kind(data) in scoped:
            meta.pop("namespace", None)
        elif not meta.get("namespace") and namespace:
            meta["namespace"] = namespace
