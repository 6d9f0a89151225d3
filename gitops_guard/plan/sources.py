"""Where the plan's objects come from: the environments and their rendered documents.

`render_objects` is the single seam to the render stage: configured environments go
through `gitops_guard.render.render_environment`; with none configured, the whole
repository is one environment, `repo`, loaded as plain YAML/JSON (or built with
kustomize when its root is a Kustomize directory), as `check` with no `--env` does.
"""
from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

from gitops_guard import render
from gitops_guard.check import load_files
from gitops_guard.config import Config
from gitops_guard.discover import discover_files
from gitops_guard.environments import pick_environments
from gitops_guard.errors import GuardError
from gitops_guard.load import load_bytes
from gitops_guard.load.datafiles import KUSTOMIZATION_FILES
from gitops_guard.model import Finding
from gitops_guard.render.findings import (
    CHART_FETCH_FAILED,
    CONFINED,
    EXPANDS_TOO_FAR,
    HELM_MISSING_DEPENDENCY,
    HELM_TEMPLATE_ERROR,
    OVER_LIMIT,
    RENDER_FAILED,
    RENDER_TIMEOUT,
    SOURCE_SKIPPED,
)
from gitops_guard.render.graph import Graph, source_graph
from gitops_guard.render.model import Environment, RenderResult
from gitops_guard.render.tools import kustomize_command, run_tool

REPO_ENV = "repo"
TERRAFORM = "terraform-plan"

Objects = list[tuple[dict[str, Any], str]]
NOT_RENDERED = "not rendered: "  # how the render stage words a GG104 finding
# Findings that mean a source produced nothing: the plan cannot show its changes.
UNRENDERED_RULES = frozenset({SOURCE_SKIPPED, RENDER_FAILED, HELM_TEMPLATE_ERROR,
                              HELM_MISSING_DEPENDENCY, RENDER_TIMEOUT, CHART_FETCH_FAILED,
                              CONFINED, OVER_LIMIT, EXPANDS_TOO_FAR})


class RenderNotes(NamedTuple):
    """What a render of one side said, each line once."""

    notes: list[str]  # render findings, "file:line:col: message"
    unrendered: list[str]  # sources not rendered, "file:line:col: what: why"
    # sources whose render failed (RenderResult.failed, failed_dir): what they read is unknown
    failed: tuple[str, ...] = ()
    roots: tuple[Path, ...] = ()  # the trees rendered: each failed source is followed in each


class Rendering(NamedTuple):
    objects: Objects
    notes: RenderNotes


def unique(lines: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(lines))


def environments(config: Config) -> dict[str, Environment]:
    """The configured environments, or the whole repository as one named `repo`."""
    # Terraform plans are not rendered: the plan stage reads them itself.
    envs = render.environments_from_config(config)
    for name, spec in config.environments.items():
        if spec.kind == TERRAFORM:
            envs[name] = Environment(name=name, path=spec.path, kind=TERRAFORM)
    envs = {name: envs[name] for name in config.environments if name in envs}  # config order
    return envs or {REPO_ENV: Environment(REPO_ENV, ".", kind="plain")}


def select(envs: dict[str, Environment], names: list[str]) -> list[Environment]:
    return [envs[n] for n in pick_environments(envs, names)] if names else list(envs.values())


def _kustomize(folder: Path, root: Path, seconds: float) -> bytes:
    run = run_tool([*kustomize_command(), str(folder)], cwd=root, timeout=seconds)
    if run.returncode != 0:
        raise GuardError(f"kustomize build {folder.relative_to(root)} failed: "
                         f"{run.stderr.strip()}")
    return run.stdout.encode()


def _render_repo(env: Environment, root: Path, config: Config) -> Rendering:
    folder = (root / env.path).resolve()
    if not folder.exists():
        return Rendering([], RenderNotes([f"{env.path} does not exist here"], []))
    if folder.is_dir() and env.kind in ("", "kustomize") and any(
            (folder / k).is_file() for k in KUSTOMIZATION_FILES):
        seconds = config.timeouts.render_seconds
        result = load_bytes(_kustomize(folder, root, seconds), f"{env.path}/kustomization.yaml")
        docs, notes = result.documents, [f.message for f in result.findings]
    else:
        files = discover_files([str(folder)], root, config.include, config.exclude)
        docs, findings = load_files(files, config.load_limits)
        notes = [f"{f.location}: {f.message}" for f in findings]
    return Rendering([(d.data, d.path) for d in docs if d.is_kubernetes],
                     RenderNotes(unique(notes), []))


def render_objects(env: Environment, root: Path, config: Config,
                   rendered: RenderResult | None = None, *, use_cache: bool = False
                   ) -> Rendering:
    """The Kubernetes objects `env` deploys from the tree at `root`, plus notes to show:
    from `rendered` (this tree's render, made already) when given.

    A skipped source is both a GG104 finding (located) and a `skipped` line (not): it
    is listed once, with its location when there is one. `use_cache`: the working tree
    reads and writes the render cache (outside the work tree, as `check` does); a base
    tree's temporary checkout does not (its key would name a path no run sees again).
    """
    if env.name == REPO_ENV:
        return _render_repo(env, root, config)
    if not (root / env.path).exists():
        return Rendering([], RenderNotes([f"{env.path} does not exist here"], []))
    result = rendered if rendered is not None else render.render_environment(
        env, root, use_cache=use_cache)
    notes: list[str] = []
    unrendered: dict[str, str] = {}  # what: why -> the line shown
    for f in result.findings:
        partly = f.rule_id == SOURCE_SKIPPED and not f.message.startswith(NOT_RENDERED)
        if f.rule_id in UNRENDERED_RULES and not partly:  # a GG104 note: rendered, in part
            what = f"{f.message.removeprefix(NOT_RENDERED)} ({f.rule_id})"
            unrendered.setdefault(what, f"{f.location}: {what}" if f.location.path else what)
        else:
            notes.append(f"{f.location}: {f.message}")
    for what in result.skipped:  # the same text as a GG104 finding's, without the location
        unrendered.setdefault(f"{what} ({SOURCE_SKIPPED})", what)
    objects = [(d.data, d.path) for d in result.documents if d.is_kubernetes]
    failed = tuple(sorted({*(d for f in result.findings if (d := failed_dir(f)) is not None),
                           *result.failed}))
    return Rendering(objects, RenderNotes(unique(notes), list(unrendered.values()), failed,
                                          (root,)))


def failed_dir(finding: Finding) -> str | None:
    """The directory whose objects a failed render leaves unknown: a chart's root for a
    chart that did not render, a kustomization's dir for a build that failed there."""
    path = finding.location.path
    if finding.rule_id in (HELM_TEMPLATE_ERROR, HELM_MISSING_DEPENDENCY):
        for part in ("/templates/", "/charts/", "/crds/"):
            if part in path:
                return path.split(part, 1)[0]
        return posixpath.dirname(path) if path.endswith("/Chart.yaml") else None
    if finding.rule_id in (RENDER_FAILED, RENDER_TIMEOUT) and \
            posixpath.basename(path) in KUSTOMIZATION_FILES:
        return posixpath.dirname(path)
    return None


def unknown_paths(failed: Iterable[str], roots: Iterable[Path] = ()
                  ) -> Callable[[str], bool] | None:
    """Which repo paths hold objects a source whose render failed on either side would
    have made (None: nothing failed). The controller applies (and prunes) nothing of it,
    so the plan cannot tell what they become and shows neither an addition, a removal
    nor a change for them.

    A failed source is a dir (its files), and in each tree of `roots` whatever its input
    graph reaches: an overlay's `../base`, the path of a GitOps object found in it; a
    failed GitOps object (`FILE#Kind/name`) stands for what its path reaches there (the
    object itself is planned). The graphs are read once, for both sides of the plan.
    """
    failed = [f for f in failed if f]
    if not failed:
        return None
    prefixes = tuple(f"{d}/" for d in failed if "#" not in d)
    reached = [_reached(source, root) for root in roots for source in failed]
    return lambda path: path.startswith(prefixes) or any(g.covers(path) for g in reached)


def without_failed(objects: Objects, unknown: Callable[[str], bool] | None) -> Objects:
    """`objects` less those at a path `unknown` (unknown_paths) names."""
    return objects if unknown is None else [(o, path) for o, path in objects
                                            if not unknown(path)]


def _reached(source: str, root: Path) -> Graph:
    """What a build of `source` in the tree at `root` reads (render/graph.py)."""
    return source_graph(source, root.resolve(), render.CONTROLLERS)


def merge_notes(base: RenderNotes, head: RenderNotes) -> RenderNotes:
    """Head's lines, then the base's lines head does not have (marked `base:`), each once."""
    def merged(before: list[str], after: list[str]) -> list[str]:
        return unique([*after, *(f"base: {n}" for n in before if n not in after)])
    return RenderNotes(merged(base.notes, head.notes), merged(base.unrendered, head.unrendered),
                       tuple(sorted({*base.failed, *head.failed})),
                       tuple(dict.fromkeys([*head.roots, *base.roots])))
