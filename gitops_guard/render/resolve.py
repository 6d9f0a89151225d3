"""The work list of a render: resources collected so far, GitOps objects still to follow.

The Resolver knows nothing kind-specific. Every rendered resource whose (group, kind)
is in the controller registry it was given (render.CONTROLLERS) is handed to that
controller's `render(resolver, item, depth)`, which renders what the object points
at and `add`s it back here. The Resolver keeps what was already rendered (`enter`:
cycles and the environment itself), the nesting depth, the findings and the skips.
Lookups of objects "in the cluster" (a ConfigMap, a GitRepository) search the
resources rendered so far, as the controller finds them in the cluster.
"""
from __future__ import annotations

import json
import posixpath
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

from gitops_guard.load.base import LoadLimits
from gitops_guard.load.datafiles import kustomization_file
from gitops_guard.model import Finding, Severity
from gitops_guard.render.confine import escape, refused
from gitops_guard.render.findings import (
    REFERENCE_NOT_FOUND,
    RENDER_LIMIT,
    SOURCE_SKIPPED,
    render_finding,
)
from gitops_guard.render.graph import environment_graph, refused_references
from gitops_guard.render.kustomize import kustomize_build
from gitops_guard.render.plain import load_plain
from gitops_guard.render.repo import RefTrees
from gitops_guard.render.sources import Rendered, SourceFiles, as_dict

MAX_DEPTH = 10


class Controller(Protocol):
    """One GitOps object kind (a module of render/flux or render/argo)."""

    def render(self, resolver: Resolver, item: Rendered, depth: int) -> None: ...

    def paths(self, doc: dict[str, Any]) -> Iterator[tuple[str, str]]: ...


def group_kind(data: dict[str, Any]) -> tuple[str, str]:
    """(API group, kind) of a manifest: the key of the controller registry."""
    api = data.get("apiVersion")
    kind = data.get("kind")
    return (api.rpartition("/")[0] if isinstance(api, str) else "",
            kind if isinstance(kind, str) else "")


def path_key(path: str, post: dict[str, Any], target: Any) -> str:
    clean = posixpath.normpath(path.lstrip("/")) or "."
    return f"path {clean} {json.dumps(post, sort_keys=True, default=str)} {target or ''}"


def spec_of(data: dict[str, Any]) -> dict[str, Any]:
    return as_dict(data.get("spec"))


def name_namespace(data: dict[str, Any]) -> tuple[str, str]:
    meta = as_dict(data.get("metadata"))
    return str(meta.get("name", "")), str(meta.get("namespace", "") or "")


class Resolver:
    """Renders what GitOps objects point at, collecting resources, findings and skips."""

    def __init__(self, root: Path, env: str | None, controllers: Mapping[tuple[str, str],
                 Controller], load_restrictor_none: bool = False,
                 limits: LoadLimits | None = None) -> None:
        self.root = root
        self.env = env
        self.controllers = controllers
        self.load_restrictor_none = load_restrictor_none
        self.limits = limits or LoadLimits()  # the config's load_limits (GG122)
        self.items: list[Rendered] = []
        self.findings: list[Finding] = []
        self.skipped: list[str] = []
        self.failed: list[str] = []  # sources that produced nothing (RenderResult.failed)
        self.files = SourceFiles(root)
        self.trees = RefTrees(root)  # this repository at other refs (close() when done)
        self.cacheable = True  # False when the render read something a file hash misses
        self.charts: Any = None  # the run's ChartOptions (render.charts), None: offline
        self.argocd_clusters: tuple[dict[str, Any], ...] = ()  # config argocd.clusters
        self._seen: set[str] = set()

    # -- rendering a repo path -------------------------------------------------------------
    def render_path(self, path: str, kind: str = "", recursive: bool = True,
                    kustomize_subdirs: bool = False) -> list[Rendered]:
        """Render a repo dir: a kustomize build, else its files (with `kustomize_subdirs`,
        subdirs that have a kustomization file are built, not read file by file)."""
        path = posixpath.normpath(path.lstrip("/")) or "."
        folder = self.root / path
        if not folder.exists() or not self.confined(path, "environment path", self.root,
                                                    (path, 0)):
            return []
        if kind == "kustomize" or (not kind and folder.is_dir() and kustomization_file(folder)):
            items, findings = self._kustomize(path)
        else:
            items, findings = load_plain(path, self.root, recursive,
                                         self._kustomize if kustomize_subdirs else None)
        self.findings.extend(findings)
        return items

    def _kustomize(self, path: str) -> tuple[list[Rendered], list[Finding]]:
        outside = refused_references(path, self.root, self.load_restrictor_none)
        items, findings = kustomize_build(path, self.root, self.env, outside,
                                          self.load_restrictor_none, limits=self.limits)
        if findings:  # a build reports findings only when it failed or was refused
            self.fail(path)
        return items, findings

    def fail(self, source: str) -> None:
        """`source` (a kustomize dir, or `FILE#Kind/name`: what that GitOps object points
        at, graph.source_graph) produced nothing."""
        if source and source not in self.failed:
            self.failed.append(source)

    def fail_staged(self, path: str, tree: Path, files: Mapping[str, str]) -> None:
        """`path` of a tree staged from repository files (`files`: tree path -> repo path,
        an ExternalArtifact) produced nothing: the repo files its build reads are unknown."""
        graph = environment_graph(path, "", (), tree, {})
        for staged, repo in files.items():
            if graph.covers(staged) or staged.startswith(f"{path}/"):
                self.fail(repo)

    def fail_object(self, item: Rendered) -> None:
        """What the GitOps object `item` points at produced nothing."""
        if item.source and isinstance(item.data, dict):
            self.fail(f"{item.source}#{item.data.get('kind')}/{name_namespace(item.data)[0]}")

    def confined(self, rel: str, what: str, root: Path | None = None,
                 where: tuple[str, int] | None = None, item: Rendered | None = None) -> bool:
        """False (and a GG120 finding at `item` or `where`) when `rel` under `root` (the
        repo by default) leaves it; always True with `load_restrictor: none`."""
        reason = None if self.load_restrictor_none else escape(root or self.root, rel)
        if reason is None:
            return True
        at = self.where(item) if item is not None else where or ("<rendered>", 0)
        self.findings.append(refused(reason, what, at[0], at[1], self.env))
        if item is not None:
            self.fail_object(item)  # a GitOps object's path: what it applied is unknown
        elif root is None or root == self.root:
            self.fail(rel)  # the environment's own path
        return False

    def mark_rendered(self, path: str) -> None:
        """`path` is the environment itself: a Flux object syncing it adds nothing."""
        self._seen.add(path_key(path, {}, None))

    def add(self, items: list[Rendered], depth: int = 0) -> None:
        """Add rendered resources, then resolve the GitOps objects among them."""
        self.items.extend(items)
        for item in items:
            if isinstance(item.data, dict):
                controller = self.controllers.get(group_kind(item.data))
                if controller is not None:
                    controller.render(self, item, depth)

    # -- what controllers call -------------------------------------------------------------
    def where(self, item: Rendered) -> tuple[str, int]:
        doc = self.files.document(item.source, item.source_doc) if (
            item.source and item.source_doc is not None) else None
        return item.source or "<rendered>", doc.line if doc else item.line

    def skip(self, item: Rendered, reason: str) -> None:
        kind, (name, _) = item.data.get("kind"), name_namespace(item.data)
        text = f"{kind} {name}: {reason}"
        self.skipped.append(text)
        path, line = self.where(item)
        self.findings.append(render_finding(SOURCE_SKIPPED, f"not rendered: {text}", path,
                                            line, 1, self.env, Severity.INFO))

    def note(self, item: Rendered, text: str) -> None:
        """GG104 info: rendered, but part of what the controller does is not reproduced."""
        path, line = self.where(item)
        kind, (name, _) = item.data.get("kind"), name_namespace(item.data)
        self.findings.append(render_finding(SOURCE_SKIPPED, f"{kind} {name}: {text}", path,
                                            line, 1, self.env, Severity.INFO))

    def missing(self, item: Rendered, message: str, severity: Severity = Severity.ERROR
                ) -> None:
        path, line = self.where(item)
        self.findings.append(render_finding(REFERENCE_NOT_FOUND, message, path, line, 1,
                                            self.env, severity))

    def enter(self, key: str, item: Rendered, depth: int) -> bool:
        if depth >= MAX_DEPTH or key in self._seen:
            path, line = self.where(item)
            why = "nested too deep" if depth >= MAX_DEPTH else "already rendered (a cycle?)"
            if depth >= MAX_DEPTH:
                self.findings.append(render_finding(RENDER_LIMIT, f"{key}: {why}", path, line,
                                                    1, self.env, Severity.WARNING))
            return False
        self._seen.add(key)
        return True

    def find(self, kind: str, name: str, namespace: str) -> dict[str, Any] | None:
        """A resource rendered so far (as the controller would find it in the cluster)."""
        for item in self.items:
            d = item.data
            if isinstance(d, dict) and d.get("kind") == kind and name_namespace(d)[0] == name \
                    and (not namespace or name_namespace(d)[1] in ("", namespace)):
                return d
        return None
