"""Argo CD `Application` (argoproj.io): what the repo-server renders for each source, and
how the application controller then places it.

Per source (`source`, or each of `sources`; a source with only `ref` supplies files):
- where: `repoURL` this repository (repo.py) at `targetRevision` (the working tree when
  it names HEAD, a branch the tree stands for, or the HEAD commit; else git objects at
  that ref); `chart:` with a Helm repository `repoURL` goes through the chart cache
  (charts.locate_chart); any other repository is not rendered (GG104);
- what: the explicit type (`kustomize`, `helm`, `directory`, `plugin`; two of them is
  the repo-server's error), else discovered like the repo-server: a kustomization file
  means Kustomize, `Chart.yaml` Helm, anything else a directory (directory.py);
  config-management plugins and jsonnet are not rendered offline (GG104, with why);
- then, as the controller's NormalizeTargetObjects does, every namespaced object
  without a namespace gets `destination.namespace` and cluster-scoped ones lose theirs.
Applications among the results are followed (app of apps).
"""
from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gitops_guard.kinds import CLUSTER_SCOPED
from gitops_guard.load.datafiles import kustomization_file
from gitops_guard.model import Severity
from gitops_guard.render.argo import helm_source, kustomize_overrides
from gitops_guard.render.argo.directory import render_directory
from gitops_guard.render.argo.env import app_env
from gitops_guard.render.charts import ChartOptions, ChartSource, default_cache_dir, locate_chart
from gitops_guard.render.findings import RENDER_FAILED, render_finding
from gitops_guard.render.graph import refused_references
from gitops_guard.render.helm import render_chart
from gitops_guard.render.kustomize import kustomize_build
from gitops_guard.render.repo import (
    head_commit,
    is_this_repo,
    resolve_commit,
    working_branches,
)
from gitops_guard.render.resolve import Resolver, group_kind, name_namespace
from gitops_guard.render.sources import Rendered, as_dict

GROUP_KIND = ("argoproj.io", "Application")
SOURCE_TYPES = ("kustomize", "helm", "directory", "plugin")


def paths(doc: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Repo paths of the sources (whatever their repoURL: a superset)."""
    spec = as_dict(doc.get("spec"))
    for source in [spec.get("source"), *(spec.get("sources") or ())]:
        if isinstance(source, dict) and isinstance(source.get("path"), str) and (
                "{{" not in source["path"]):
            yield posixpath.normpath(source["path"].lstrip("/")) or ".", ""


def render(resolver: Resolver, item: Rendered, depth: int) -> None:
    render_app(resolver, item, item.data, depth)


@dataclass(frozen=True)
class App:
    """What every source of one Application shares."""

    item: Rendered  # the object in the repo that declares it (or its ApplicationSet)
    name: str
    namespace: str  # destination.namespace
    project: str
    refs: helm_source.RefRoots


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
        out.extend(_source(resolver, ctx, source))
    place_in_namespace(out, ctx.namespace)
    resolver.add(out, depth + 1)


def _failed(resolver: Resolver, app: App, message: str) -> None:
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


def _skip(resolver: Resolver, app: App, reason: str) -> None:
    resolver.skip(app.item, f"{_prefix(app)}{reason}")


def _note(resolver: Resolver, app: App, text: str) -> None:
    resolver.note(app.item, f"{_prefix(app)}{text}")


def _tree(resolver: Resolver, revision: str) -> tuple[Path, str] | str:
    """(root to read, "" or the ref it stands for) for `targetRevision`, or why not."""
    root = resolver.root
    if not revision or revision == "HEAD" or revision in working_branches(root):
        return root, ""
    commit = (resolve_commit(root, "branch", revision) or resolve_commit(root, "tag", revision)
              or resolve_commit(root, "commit", revision))
    if commit is None:
        return f"targetRevision {revision} is not in this clone (fetch it, e.g. " \
               f"`git fetch origin {revision}`)"
    if commit == head_commit(root):
        return root, ""
    resolver.cacheable = False  # what a ref names moves without any file changing
    tree = resolver.trees.tree(commit)
    if tree is None:
        return f"targetRevision {revision} could not be read"
    return tree, f"{revision} ({commit[:7]})"


def _source(resolver: Resolver, app: App, source: dict[str, Any]) -> list[Rendered]:
    url = str(source.get("repoURL", ""))
    revision = str(source.get("targetRevision") or "")
    if source.get("chart"):
        return _remote_chart(resolver, app, source, url, revision)
    if not is_this_repo(url, resolver.root):
        _skip(resolver, app, f"source {url or '(no repoURL)'} is another repository")
        return []
    found = _tree(resolver, revision)
    if isinstance(found, str):
        _skip(resolver, app, found)
        return []
    tree, at = found
    path = posixpath.normpath(str(source.get("path") or ".").lstrip("/")) or "."
    folder = tree / path
    if path.startswith("..") or not folder.is_dir():
        resolver.missing(app.item, f"Application {app.name}: path {path} does not exist"
                         + (f" at {at}" if at else ""))
        return []
    if not resolver.confined(path, f"Application {app.name}: source path", tree,
                             item=app.item):
        return []
    kinds = [k for k in SOURCE_TYPES if source.get(k) is not None]
    if len(kinds) > 1:
        _failed(resolver, app, f"multiple application sources defined: {', '.join(kinds)}")
        return []
    kind = kinds[0] if kinds else ("kustomize" if kustomization_file(folder) else
                                   "helm" if (folder / "Chart.yaml").is_file() else "directory")
    env = app_env(app.name, app.namespace, app.project, head_commit(tree) or "", url, path,
                  revision)
    if kind == "plugin":
        plugin = as_dict(source.get("plugin"))
        which = f" {plugin['name']}" if plugin.get("name") else ""
        _skip(resolver, app, f"source {path}: config management plugin{which} runs in a "
              "repo-server sidecar, which is not available offline")
        return []
    if kind == "kustomize":
        items = _kustomize(resolver, app, tree, path, as_dict(source.get("kustomize")), env)
    elif kind == "helm":
        helm = as_dict(source.get("helm"))
        items = _helm(resolver, app, tree, path, path, helm, env)
    else:
        items = _directory(resolver, app, tree, path, as_dict(source.get("directory")))
    if at:  # files at another ref: point at the object that applies them
        items = [Rendered(r.data, app.item.source, app.item.source_doc, app.item.line)
                 for r in items]
    return items


def _directory(resolver: Resolver, app: App, tree: Path, path: str,
               options: dict[str, Any]) -> list[Rendered]:
    result = render_directory(path, tree, options)
    resolver.findings.extend(result.findings)
    if result.jsonnet:
        shown = ", ".join(result.jsonnet[:3]) + (" ..." if len(result.jsonnet) > 3 else "")
        _skip(resolver, app, f"source {path}: jsonnet ({shown}) is evaluated by the "
              "repo-server's jsonnet VM, which is not reproduced offline")
    return result.items


def _kustomize(resolver: Resolver, app: App, tree: Path, path: str, options: dict[str, Any],
               env: dict[str, str]) -> list[Rendered]:
    for field, why in kustomize_overrides.NOT_REPRODUCED.items():
        if options.get(field):
            _note(resolver, app, f"kustomize.{field} is not reproduced: {why}")
    folder = tree / path
    text: str | None = None
    if any(options.get(k) for k in kustomize_overrides.OVERRIDES):
        kfile = kustomization_file(folder)
        if kfile is None:
            _failed(resolver, app, f"kustomize overrides need a kustomization file in {path}")
            return []
        try:
            text = kustomize_overrides.overridden(kfile, options, env, folder, tree)
        except kustomize_overrides.OverrideError as exc:
            _failed(resolver, app, str(exc))
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


def _helm(resolver: Resolver, app: App, tree: Path, chart: str, app_path: str,
          helm: dict[str, Any], env: dict[str, str], chart_root: Path | None = None
          ) -> list[Rendered]:
    """Template the chart at `chart` (under `chart_root`, else `tree`); value files are
    read relative to `app_path` in `tree`."""
    for text in helm_source.unreproduced(helm):
        _note(resolver, app, text)
    inputs = helm_source.value_files(helm, app_path, tree, app.refs, env, app.item.source,
                                     resolver.env)
    for reason in inputs.unavailable:
        _skip(resolver, app, reason)
    resolver.findings.extend(inputs.findings)
    values, findings = helm_source.inline_values(helm, inputs.values, tree, app_path, env)
    resolver.findings.extend(findings)
    release, namespace = helm_source.release_and_namespace(helm, app.name, app.namespace)
    items, findings = render_chart(chart, chart_root or tree, resolver.env, release=release,
                                   namespace=namespace, values=values)
    resolver.findings.extend(findings)
    return helm_source.without_crds(items, chart) if helm.get("skipCrds") else items


def chart_options(resolver: Resolver) -> ChartOptions:
    """The run's chart cache policy (offline unless the command fetches)."""
    options = getattr(resolver, "charts", None)
    return options if isinstance(options, ChartOptions) else ChartOptions(
        default_cache_dir(), fetch=False)


def _remote_chart(resolver: Resolver, app: App, source: dict[str, Any], url: str,
                  revision: str) -> list[Rendered]:
    chart = str(source["chart"])
    # a Helm OCI repository is written without a scheme in Argo CD
    repo = url if "://" in url else f"oci://{url}"
    located = locate_chart(ChartSource(repo, chart, revision, f"Application {app.name}"),
                           chart_options(resolver))
    if located.path is None:
        _skip(resolver, app, f"chart {chart} {revision or '(newest)'} from {url}: "
              f"{located.reason}")
        return []
    resolver.cacheable = False  # the chart lives outside the repository
    env = app_env(app.name, app.namespace, app.project, located.version, url, "", revision)
    items = _helm(resolver, app, resolver.root, located.path.name, ".",
                  as_dict(source.get("helm")), env, located.path.parent)
    # the chart's files are not in the repository: point at the Application
    return [Rendered(r.data, app.item.source, app.item.source_doc, app.item.line)
            for r in items]


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
