"""One source of an Argo CD Application rendered with its tool, as the repo-server does:
a directory (directory.py), Kustomize with the Application's overrides
(kustomize_overrides.py), or a Helm chart with its values (helm_source.py). App is what
every source of one Application shares; failed, skip and note report on it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gitops_guard.load.datafiles import kustomization_file
from gitops_guard.model import Severity
from gitops_guard.render.argo import helm_source, kustomize_overrides
from gitops_guard.render.argo.directory import render_directory
from gitops_guard.render.findings import RENDER_FAILED, render_finding
from gitops_guard.render.graph import refused_references
from gitops_guard.render.helm import render_chart
from gitops_guard.render.kustomize import kustomize_build
from gitops_guard.render.resolve import Resolver, name_namespace
from gitops_guard.render.sources import Rendered


@dataclass(frozen=True)
class App:
    """What every source of one Application shares."""

    item: Rendered  # the object in the repo that declares it (or its ApplicationSet)
    name: str
    namespace: str  # destination.namespace
    project: str
    refs: helm_source.RefRoots


def failed(resolver: Resolver, app: App, message: str) -> None:
    path, line = resolver.where(app.item)
    resolver.fail_object(app.item)
    resolver.findings.append(render_finding(
        RENDER_FAILED, f"Application {app.name}: {message} (Argo CD would apply nothing of "
        "this source)", path, line, 1, resolver.env, Severity.ERROR))


def _prefix(app: App) -> str:
    """The resolver names `app.item`; name the Application too when that is another object."""
    same = app.item.data.get("kind") == "Application" and \
        name_namespace(app.item.data)[0] == app.name
    return "" if same else f"Application {app.name}: "


def skip(resolver: Resolver, app: App, reason: str) -> None:
    resolver.skip(app.item, f"{_prefix(app)}{reason}")


def note(resolver: Resolver, app: App, text: str) -> None:
    resolver.note(app.item, f"{_prefix(app)}{text}")



def render_dir(resolver: Resolver, app: App, tree: Path, path: str,
               options: dict[str, Any]) -> list[Rendered]:
    result = render_directory(path, tree, options)
    resolver.findings.extend(result.findings)
    if result.jsonnet:
        shown = ", ".join(result.jsonnet[:3]) + (" ..." if len(result.jsonnet) > 3 else "")
        skip(resolver, app, f"source {path}: jsonnet ({shown}) is evaluated by the "
              "repo-server's jsonnet VM, which is not reproduced offline")
    return result.items


def render_kustomize(resolver: Resolver, app: App, tree: Path, path: str, options: dict[str, Any],
               env: dict[str, str]) -> list[Rendered]:
    for field, why in kustomize_overrides.NOT_REPRODUCED.items():
        if options.get(field):
            note(resolver, app, f"kustomize.{field} is not reproduced: {why}")
    folder = tree / path
    text: str | None = None
    if any(options.get(k) for k in kustomize_overrides.OVERRIDES):
        kfile = kustomization_file(folder)
        if kfile is None:
            failed(resolver, app, f"kustomize overrides need a kustomization file in {path}")
            return []
        try:
            text = kustomize_overrides.overridden(kfile, options, env, folder, tree)
        except kustomize_overrides.OverrideError as exc:
            failed(resolver, app, str(exc))
            return []
    outside = refused_references(path, tree, resolver.load_restrictor_none)
    for component in options.get("components") or ():
        if not (folder / str(component)).resolve().is_relative_to(tree.resolve()):
            outside.append((f"{app.item.source or path} (kustomize.components)", str(component)))
    items, findings = kustomize_build(path, tree, resolver.env, outside,
                                      resolver.load_restrictor_none, text,
                                      limits=resolver.limits)
    resolver.findings.extend(findings)
    if findings:  # failed or refused: Argo CD syncs (and prunes) nothing of it
        resolver.fail(path) if tree == resolver.root else resolver.fail_object(app.item)
    return items


def render_helm(resolver: Resolver, app: App, tree: Path, chart: str, app_path: str,
          helm: dict[str, Any], env: dict[str, str], chart_root: Path | None = None
          ) -> list[Rendered]:
    """Template the chart at `chart` (under `chart_root`, else `tree`); value files are
    read relative to `app_path` in `tree`."""
    for text in helm_source.unreproduced(helm):
        note(resolver, app, text)
    inputs = helm_source.value_files(helm, app_path, tree, app.refs, env, app.item.source,
                                     resolver.env)
    for reason in inputs.unavailable:
        skip(resolver, app, reason)
    resolver.findings.extend(inputs.findings)
    values, findings = helm_source.inline_values(helm, inputs.values, tree, app_path, env)
    resolver.findings.extend(findings)
    release, namespace = helm_source.release_and_namespace(helm, app.name, app.namespace)
    items, findings = render_chart(chart, chart_root or tree, resolver.env, release=release,
                                   namespace=namespace, values=values)
    resolver.findings.extend(findings)
    return helm_source.without_crds(items, chart) if helm.get("skipCrds") else items
