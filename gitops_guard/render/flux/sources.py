"""Flux source-controller objects as a Kustomization or HelmRelease finds them.

A `sourceRef` names a GitRepository, HelmRepository or OCIRepository; it is looked up
among the resources rendered so far, as the controller finds it in the cluster. Only a
GitRepository that is this repository (repo.py) can be rendered from the working tree.
"""
from __future__ import annotations

from typing import Any

from gitops_guard.render.repo import FLUX_BOOTSTRAP_SOURCE, is_this_repo
from gitops_guard.render.resolve import Resolver, spec_of


def git_source_is_repo(resolver: Resolver, ref: dict[str, Any], namespace: str) -> str | None:
    """None when `ref` (a sourceRef) is this repository, else why it is not."""
    kind, name = ref.get("kind", "GitRepository"), str(ref.get("name", ""))
    if kind != "GitRepository":
        return f"source {kind}/{name} is not a Git repository"
    if name == FLUX_BOOTSTRAP_SOURCE:
        return None
    repo = resolver.find("GitRepository", name, str(ref.get("namespace") or namespace))
    url = str(spec_of(repo).get("url", "")) if repo else ""
    if url and is_this_repo(url, resolver.root):
        return None
    return f"source GitRepository/{name} ({url or 'not found in this repo'}) " \
           "is another repository"
