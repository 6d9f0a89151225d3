"""Render stage: what Git really deploys, per environment (Kustomize, Helm, Flux, Argo CD).

The contract every caller relies on (the plan diff, `check --env`, `ci`):

    environments_from_config(config) -> dict[str, Environment]
    render_environment(env, root) -> RenderResult   # Documents with env=name, findings GG1xx
    affected_environments(changed_files, envs, root) -> list[str]

Two registries: RENDERERS by environment kind (kustomize, helm, plain), and
CONTROLLERS by the (API group, kind) of a GitOps object found in a render, each a
module with `render(resolver, item, depth)` and `paths(doc)` (resolve.Controller).
The Resolver (resolve.py) and the input graph (graph.py) are given CONTROLLERS; they
import no controller themselves.
"""
from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from pathlib import Path

from gitops_guard.config import Config
from gitops_guard.errors import ConfigError
from gitops_guard.kinds import CLUSTER_SCOPED_KINDS
from gitops_guard.load.datafiles import kustomization_file
from gitops_guard.render import cache
from gitops_guard.render.argo import application, applicationset
from gitops_guard.render.bounded import render_memory
from gitops_guard.render.charts.options import chart_options
from gitops_guard.render.findings import CONFINED, OVER_LIMIT, RENDER_TIMEOUT
from gitops_guard.render.flux import artifactgenerator, helmrelease, kustomization
from gitops_guard.render.graph import Graph, environment_graph
from gitops_guard.render.helm import deep_merge, load_values, render_chart
from gitops_guard.render.model import Environment, RenderResult
from gitops_guard.render.resolve import Controller, Resolver
from gitops_guard.render.sources import Rendered, to_documents
from gitops_guard.render.tools import render_timeout
from gitops_guard.scratch import cleanup_on_signals

__all__ = ["CONTROLLERS", "RENDERERS", "Environment", "RenderResult", "affected_environments",
           "detect_kind", "environment_inputs", "environments_from_config",
           "render_environment"]

Renderer = Callable[[Environment, Resolver], list[Rendered]]


def _render_kustomize(env: Environment, resolver: Resolver) -> list[Rendered]:
    return resolver.render_path(env.path, "kustomize")


def _render_plain(env: Environment, resolver: Resolver) -> list[Rendered]:
    return resolver.render_path(env.path, "plain", kustomize_subdirs=True)


def _render_helm(env: Environment, resolver: Resolver) -> list[Rendered]:
    values, findings = load_values(list(env.values), resolver.root, env.name,
                                   f"{env.path}/Chart.yaml")
    resolver.findings.extend(findings)
    if any(f.rule_id == CONFINED for f in findings):
        return []  # a values file outside the repository: nothing is rendered with it
    values = deep_merge(values, env.set_values)
    items, findings = render_chart(env.path, resolver.root, env.name, release=env.name,
                                   namespace=env.namespace or "default", values=values)
    resolver.findings.extend(findings)
    return items


RENDERERS: dict[str, Renderer] = {
    "kustomize": _render_kustomize,
    "helm": _render_helm,
    "plain": _render_plain,
}


CONTROLLERS: dict[tuple[str, str], Controller] = {
    kustomization.GROUP_KIND: kustomization,
    helmrelease.GROUP_KIND: helmrelease,
    artifactgenerator.GROUP_KIND: artifactgenerator,
    application.GROUP_KIND: application,
    applicationset.GROUP_KIND: applicationset,
}


def detect_kind(folder: Path) -> str:
    if folder.is_dir() and kustomization_file(folder):
        return "kustomize"
    if (folder / "Chart.yaml").is_file():
        return "helm"
    return "plain"


def environments_from_config(config: Config) -> dict[str, Environment]:
    envs: dict[str, Environment] = {}
    charts = chart_options(config)
    for name, entry in config.environments.items():
        if entry.kind == "terraform-plan":
            continue  # not rendered: the plan stage reads Terraform plans itself
        folder = config.root / entry.path
        if not folder.exists():
            raise ConfigError(f"environments.{name}.path: {entry.path} does not exist")
        kind = entry.kind or detect_kind(folder)
        if kind not in RENDERERS:
            raise ConfigError(f"environments.{name}.kind: {kind} cannot be rendered "
                              f"(one of {', '.join(sorted(RENDERERS))})")
        envs[name] = Environment(
            name=name, path=entry.path, kind=kind,
            kubernetes_version=entry.kubernetes_version, namespace=entry.namespace,
            values=entry.values, set_values=dict(entry.set_values),
            live=dict(entry.live) if entry.live is not None else None,
            snapshot=entry.snapshot, load_restrictor=entry.load_restrictor,
            timeout_seconds=config.timeouts.render_seconds,
            argocd_clusters=config.argocd_clusters, memory_mb=config.render.memory_mb,
            charts=charts, load_limits=config.load_limits)
    return envs


def _default_namespace(items: list[Rendered], namespace: str) -> None:
    for item in items:
        data = item.data
        if isinstance(data, dict) and isinstance(data.get("metadata"), dict) and \
                data.get("kind") not in CLUSTER_SCOPED_KINDS and \
                not data["metadata"].get("namespace"):
            data["metadata"]["namespace"] = namespace


def render_environment(env: Environment, root: Path, *, use_cache: bool = True) -> RenderResult:
    """Render `env` (cached by a content hash of its inputs) into located Documents.

    Each tool run is limited to `env.timeout_seconds` (a GG107 finding, never cached);
    SIGTERM interrupts like Ctrl-C, so temp trees and child processes go with it.
    """
    with render_timeout(env.timeout_seconds), render_memory(env.memory_mb), \
            cleanup_on_signals():
        return _render_environment(env, root, use_cache)


def _render_environment(env: Environment, root: Path, use_cache: bool) -> RenderResult:
    root = root.resolve()
    graph = environment_inputs(env, root)
    key = cache.cache_key(env, graph, root, env.load_restrictor)
    hit = cache.load(key, root) if use_cache else None
    if hit is not None:
        items, findings, skipped, failed = hit
    else:
        resolver = Resolver(root, env.name, CONTROLLERS, env.load_restrictor == "none",
                            env.load_limits)
        resolver.mark_rendered(env.path)
        resolver.charts = env.charts
        resolver.argocd_clusters = env.argocd_clusters
        try:
            first = RENDERERS[env.kind or detect_kind(root / env.path)](env, resolver)
            if env.namespace and env.kind != "helm":
                _default_namespace(first, env.namespace)
            resolver.add(first)
        finally:
            resolver.trees.close()
        items, findings, skipped = resolver.items, resolver.findings, resolver.skipped
        failed = resolver.failed
        if use_cache and resolver.cacheable and not any(
                f.rule_id in (RENDER_TIMEOUT, OVER_LIMIT) for f in findings):
            cache.store(key, items, findings, skipped, root, failed)
    return RenderResult(to_documents(items, root, env.name), findings, skipped,
                        cached=hit is not None, failed=failed)


def affected_environments(changed_files: Sequence[str], envs: dict[str, Environment],
                          root: Path, graphs: dict[str, Graph] | None = None) -> list[str]:
    """Names of the environments whose inputs include any of `changed_files` (repo-relative);
    `graphs` receives each environment's inputs (a fleet run's partition reads them)."""
    root = root.resolve()
    changed = [posixpath.normpath(f) for f in changed_files]
    out: list[str] = []
    for name, env in envs.items():
        graph = environment_inputs(env, root)
        if graphs is not None:
            graphs[name] = graph
        if any(graph.covers(f) for f in changed):
            out.append(name)
    return out


def environment_inputs(env: Environment, root: Path) -> Graph:
    """The files and directories `env` reads (its kustomizations and GitOps objects)."""
    return environment_graph(env.path, env.kind, env.values, root.resolve(), CONTROLLERS)
