"""Argo CD `ApplicationSet`: the Applications its generators make, as the controller does.

Each entry of `spec.generators` is expanded (generators/) into parameter sets; each
set fills the template (template.py: fasttemplate, or Go text/template with
`goTemplate: true` and `goTemplateOptions`), then `templatePatch` (goTemplate only) is
merged over it. The Applications are added to the render (the controller creates
them in the cluster, in the ApplicationSet's namespace, with the resources finalizer
unless `syncPolicy.preserveResourcesOnDeletion`) and so rendered in turn.

Clusters for the cluster generator: config `argocd.clusters`, plus Argo CD cluster
Secrets (label `argocd.argoproj.io/secret-type: cluster`) rendered so far.
"""
from __future__ import annotations

import base64
import binascii
import os
import posixpath
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from gitops_guard.load.yaml_budget import safe_load_bounded
from gitops_guard.render.argo import gotemplate, template
from gitops_guard.render.argo.generators import expand
from gitops_guard.render.argo.generators.params import Context, Params, Unexpandable
from gitops_guard.render.repo import is_this_repo
from gitops_guard.render.resolve import Resolver, name_namespace
from gitops_guard.render.sources import Rendered, as_dict

GROUP_KIND = ("argoproj.io", "ApplicationSet")
FINALIZER = "resources-finalizer.argocd.argoproj.io"
CLUSTER_SECRET_LABEL = "argocd.argoproj.io/secret-type"


def _clean(path: str) -> str:
    return posixpath.normpath(path.lstrip("/")) or "."


def _static(pattern: str) -> str:
    """The directory part of a glob before its first wildcard."""
    head = pattern.split("*")[0].split("?")[0].split("[")[0]
    return _clean(head.rsplit("/", 1)[0] if "/" in head else ".")


def _generator_paths(gen: dict[str, Any]) -> Iterator[tuple[str, str]]:
    git = as_dict(gen.get("git"))
    for item in [*(git.get("directories") or ()), *(git.get("files") or ())]:
        if isinstance(item, dict) and isinstance(item.get("path"), str) and \
                not item.get("exclude"):
            yield _static(item["path"]), "plain"
    for key in ("matrix", "merge"):
        for child in as_dict(gen.get(key)).get("generators") or ():
            if isinstance(child, dict):
                yield from _generator_paths(child)


def paths(doc: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Template source paths without parameters, and what the git generators read."""
    spec = as_dict(doc.get("spec"))
    tspec = as_dict(as_dict(spec.get("template")).get("spec"))
    for source in [tspec.get("source"), *(tspec.get("sources") or ())]:
        if isinstance(source, dict) and isinstance(source.get("path"), str) and (
                "{{" not in source["path"]):
            yield _clean(source["path"]), ""
    for gen in spec.get("generators") or ():
        if isinstance(gen, dict):
            yield from _generator_paths(gen)


def _secret_value(data: dict[str, Any], key: str) -> str:
    string = as_dict(data.get("stringData"))
    if key in string:
        return str(string[key])
    raw = as_dict(data.get("data")).get(key)
    if isinstance(raw, str):
        try:
            return base64.b64decode(raw).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            return ""
    return ""


def _clusters(resolver: Resolver) -> tuple[dict[str, Any], ...]:
    declared = [dict(c) for c in getattr(resolver, "argocd_clusters", ()) if isinstance(c, dict)]
    for item in resolver.items:
        data = item.data
        meta = as_dict(data.get("metadata")) if isinstance(data, dict) else {}
        labels = as_dict(meta.get("labels"))
        if isinstance(data, dict) and data.get("kind") == "Secret" and \
                labels.get(CLUSTER_SECRET_LABEL) == "cluster":
            declared.append({"name": _secret_value(data, "name"),
                             "server": _secret_value(data, "server"),
                             "project": _secret_value(data, "project"),
                             "labels": labels,
                             "annotations": as_dict(meta.get("annotations"))})
    return tuple(declared)


def _files(root: Path) -> list[str]:
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        here = Path(dirpath)
        out.extend((here / f).relative_to(root).as_posix() for f in filenames)
    return sorted(out)


def context(resolver: Resolver, spec: dict[str, Any]) -> Context:
    root = resolver.root
    clusters = _clusters(resolver)
    return Context(
        root=root, go=bool(spec.get("goTemplate")),
        options=tuple(str(o) for o in spec.get("goTemplateOptions") or ()),
        clusters=clusters, clusters_declared=bool(clusters),
        this_repo=lambda url: is_this_repo(url, root), files=lru_cache(maxsize=1)(
            lambda: _files(root)))


def _merge_patch(base: Any, patch: Any) -> Any:
    """A strategic merge over the Application: maps merge, lists and values replace."""
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for k, v in patch.items():
            if v is None:
                out.pop(k, None)
            else:
                out[k] = _merge_patch(out.get(k), v)
        return out
    return patch


def _application(appset: dict[str, Any], tmpl: dict[str, Any], params: Params,
                 ctx: Context) -> dict[str, Any]:
    spec = as_dict(appset.get("spec"))
    filled = template.fill(tmpl, params, ctx.go, ctx.options) if params else tmpl
    patch = spec.get("templatePatch")
    if ctx.go and isinstance(patch, str) and patch.strip():
        try:
            loaded = safe_load_bounded(template.replace(patch, params, True, ctx.options))
        except yaml.YAMLError as exc:
            raise Unexpandable(f"templatePatch is not YAML once rendered: {exc}") from None
        filled = _merge_patch(filled, as_dict(loaded))
    meta = dict(as_dict(filled.get("metadata")))
    meta["namespace"] = name_namespace(appset)[1] or meta.get("namespace") or "argocd"
    policy = as_dict(spec.get("syncPolicy"))
    if not meta.get("finalizers") and not policy.get("preserveResourcesOnDeletion"):
        meta["finalizers"] = [FINALIZER]
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": meta,
            "spec": as_dict(filled.get("spec"))}


def generate(appset: dict[str, Any], ctx: Context) -> list[dict[str, Any]]:
    """The Applications `appset` makes; raises Unexpandable with the reason."""
    spec = as_dict(appset.get("spec"))
    base = as_dict(spec.get("template"))
    apps: list[dict[str, Any]] = []
    names: set[str] = set()
    for entry in spec.get("generators") or ():
        if not isinstance(entry, dict):
            continue
        for tmpl, param_sets in expand(entry, base, ctx):
            for params in param_sets:
                try:
                    app = _application(appset, tmpl, params, ctx)
                except gotemplate.TemplateError as exc:
                    raise Unexpandable(f"template: {exc}") from None
                name = str(as_dict(app.get("metadata")).get("name", ""))
                if name in names:
                    raise Unexpandable(f"two generated Applications are named {name!r} "
                                       "(the controller refuses the ApplicationSet)")
                names.add(name)
                apps.append(app)
    return apps


def render(resolver: Resolver, item: Rendered, depth: int) -> None:
    spec = as_dict(item.data.get("spec"))
    ctx = context(resolver, spec)
    try:
        apps = generate(item.data, ctx)
    except Unexpandable as exc:
        resolver.skip(item, str(exc))
        return
    if _uses_clusters(spec) and not ctx.clusters_declared:
        resolver.note(item, "cluster generator: no clusters are declared (config "
                      "argocd.clusters) or rendered as cluster Secrets; only in-cluster "
                      "is assumed")
    resolver.add([Rendered(app, item.source, item.source_doc, item.line) for app in apps],
                 depth + 1)


def _uses_clusters(spec: dict[str, Any]) -> bool:
    def walk(gen: Any) -> bool:
        gen = as_dict(gen)
        return "clusters" in gen or any(walk(c) for k in ("matrix", "merge")
                                        for c in as_dict(gen.get(k)).get("generators") or ())
    return any(walk(g) for g in spec.get("generators") or ())
