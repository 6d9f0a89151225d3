"""Flux `Kustomization` (kustomize.toolkit.fluxcd.io): what kustomize-controller applies.

spec.path from this repository, then postBuild.substitute / substituteFrom ConfigMaps,
then spec.targetNamespace.
"""
from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Any

from gitops_guard.kinds import CLUSTER_SCOPED_KINDS
from gitops_guard.render.flux.sources import git_source_is_repo
from gitops_guard.render.flux.substitute import substitute
from gitops_guard.render.resolve import Resolver, name_namespace, path_key, spec_of
from gitops_guard.render.sources import Rendered, as_dict

GROUP_KIND = ("kustomize.toolkit.fluxcd.io", "Kustomization")


def paths(doc: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """The repo path the object syncs (whatever its source: a superset)."""
    yield posixpath.normpath(str(spec_of(doc).get("path") or ".").lstrip("/")) or ".", ""


def render(resolver: Resolver, item: Rendered, depth: int) -> None:
    spec = spec_of(item.data)
    name, namespace = name_namespace(item.data)
    why = git_source_is_repo(resolver, spec.get("sourceRef") or {}, namespace)
    if why:
        resolver.skip(item, why)
        return
    path = str(spec.get("path") or ".")
    if not (resolver.root / path.lstrip("/")).exists():
        resolver.missing(item, f"Kustomization {name}: spec.path {path} does not exist")
        return
    post = as_dict(spec.get("postBuild"))
    if not resolver.enter(path_key(path, post, spec.get("targetNamespace")), item, depth):
        return  # the same path rendered the same way already (e.g. flux-system itself)
    rendered = resolver.render_path(path.lstrip("/"))
    if post:
        variables = _variables(resolver, item, post, namespace)
        rendered = [Rendered(substitute(r.data, variables), r.source, r.source_doc, r.line,
                             r.patches) for r in rendered]
    target = spec.get("targetNamespace")
    if isinstance(target, str) and target:
        for r in rendered:
            if isinstance(r.data, dict) and r.data.get("kind") not in CLUSTER_SCOPED_KINDS \
                    and isinstance(r.data.get("metadata"), dict):
                r.data["metadata"]["namespace"] = target
    resolver.add(rendered, depth + 1)


def _variables(resolver: Resolver, item: Rendered, post: dict[str, Any], namespace: str
               ) -> dict[str, str]:
    variables: dict[str, str] = {}
    for ref in post.get("substituteFrom") or ():
        if not isinstance(ref, dict):
            continue
        kind, name = ref.get("kind", "ConfigMap"), str(ref.get("name", ""))
        if kind != "ConfigMap":
            resolver.skip(item, f"substituteFrom {kind}/{name}: secret values are not read")
            continue
        found = resolver.find("ConfigMap", name, namespace)
        if found is None:
            if not ref.get("optional"):
                resolver.missing(item, f"substituteFrom ConfigMap {name} is not in the "
                                 "rendered resources (the controller would fail)")
            continue
        data = as_dict(found.get("data"))
        variables.update({str(k): str(v) for k, v in data.items()})
    substitute_map = as_dict(post.get("substitute"))
    variables.update({str(k): str(v) for k, v in substitute_map.items()})
    return variables
