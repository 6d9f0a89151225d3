"""Flux source-controller objects as a Kustomization or HelmRelease finds them.

A `sourceRef` names a GitRepository, OCIRepository, Bucket or ExternalArtifact; it is
looked up among the resources rendered so far, as the controller finds it in the
cluster. Only a GitRepository that is this repository (repo.py) can be rendered:

- from the working tree when it is the bootstrap source (`flux-system`), names no
  `spec.ref`, or names a branch the working tree stands for (repo.working_branches),
  or a tag or commit that is HEAD;
- else from git objects at that ref when the clone has it (repo.RefTrees);
- else not at all: the reason names the ref.

`ref` precedence is the controller's: commit, name, semver, tag, branch. `ref.semver`
is a constraint (Masterminds semver, as source-controller checks it) resolved to the
newest of this clone's tags it allows.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gitops_guard.render.charts.semver import ConstraintError, best_match
from gitops_guard.render.repo import (
    FLUX_BOOTSTRAP_SOURCE,
    head_commit,
    is_this_repo,
    resolve_commit,
    tags,
    working_branches,
)
from gitops_guard.render.resolve import Resolver, spec_of
from gitops_guard.render.sources import as_dict

_REF_KINDS = ("commit", "name", "semver", "tag", "branch")


@dataclass(frozen=True)
class SourceTree:
    root: Path  # where the source's paths are read
    in_repo: bool  # the working tree: findings point into its files
    ref: str = ""  # "branch dev-team (0b99b5c)" when read from git objects
    ignore: str = ""  # the GitRepository's spec.ignore (sourceignore syntax)
    # tree path -> repo path, for a tree staged from repo files (an ExternalArtifact)
    files: Mapping[str, str] | None = field(default=None, compare=False)


def _ref(spec: dict[str, Any]) -> tuple[str, str]:
    ref = as_dict(spec.get("ref"))
    for kind in _REF_KINDS:
        if isinstance(ref.get(kind), str) and ref[kind]:
            return kind, ref[kind]
    return "", ""


def git_source(resolver: Resolver, ref: dict[str, Any], namespace: str) -> SourceTree | str:
    """Where a `sourceRef` is read from, or why it cannot be."""
    kind, name = ref.get("kind", "GitRepository"), str(ref.get("name", ""))
    if kind != "GitRepository":
        return f"source {kind}/{name} is not a Git repository"
    repo = resolver.find("GitRepository", name, str(ref.get("namespace") or namespace))
    spec = spec_of(repo) if repo else {}
    ignore = str(spec["ignore"]) if isinstance(spec.get("ignore"), str) else ""
    if name == FLUX_BOOTSTRAP_SOURCE:
        return SourceTree(resolver.root, True, ignore=ignore)
    url = str(spec.get("url", ""))
    if not (url and is_this_repo(url, resolver.root)):
        return f"source GitRepository/{name} ({url or 'not found in this repo'}) " \
               "is another repository"
    ref_kind, value = _ref(spec)
    if not ref_kind or (ref_kind == "branch" and value in working_branches(resolver.root)):
        return SourceTree(resolver.root, True, ignore=ignore)
    resolver.cacheable = False  # what a ref names moves without any file changing
    label = f"ref.{ref_kind} {value}"
    if ref_kind == "semver":
        try:
            tag = best_match(value, tags(resolver.root))
        except ConstraintError:
            return f"source GitRepository/{name}: ref.semver {value} is not a semver " \
                   "constraint (source-controller would fail to check it out)"
        if tag is None:
            return f"source GitRepository/{name}: no tag in this clone matches ref.semver " \
                   f"{value} (fetch the tags: `git fetch --tags origin`)"
        ref_kind, value, label = "tag", tag, f"ref.semver {value} = tag {tag}"
    commit = resolve_commit(resolver.root, ref_kind, value)
    if commit is None:
        return f"source GitRepository/{name}: ref.{ref_kind} {value} is not in this clone " \
               f"(fetch it, e.g. `git fetch origin {value}`)"
    if commit == head_commit(resolver.root):
        return SourceTree(resolver.root, True, ignore=ignore)
    tree = resolver.trees.tree(commit)
    if tree is None:
        return f"source GitRepository/{name}: ref.{ref_kind} {value} could not be read"
    return SourceTree(tree, False, f"{label.removeprefix('ref.')} ({commit[:7]})", ignore)


def git_source_is_repo(resolver: Resolver, ref: dict[str, Any], namespace: str) -> str | None:
    """None when `ref` (a sourceRef) is this repository's working tree, else why it is not."""
    found = git_source(resolver, ref, namespace)
    if isinstance(found, str):
        return found
    return None if found.in_repo else f"source at {found.ref} is not the working tree"
