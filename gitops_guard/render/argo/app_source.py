"""Where one source of an Argo CD Application is and which tool renders it, as the
repo-server decides: `repoURL` this repository (repo.py) at `targetRevision` (the working
tree when it names HEAD, a branch the tree stands for, or the HEAD commit; else git
objects at that ref); `chart:` with a Helm repository `repoURL` through the chart cache
(charts.locate_chart); any other repository is not rendered (GG104). The type is the
explicit one (two of them is the repo-server's error), else a kustomization file means
Kustomize, `Chart.yaml` Helm, anything else a directory; plugins are not rendered offline."""
from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from gitops_guard.load.datafiles import kustomization_file
from gitops_guard.render.argo.app_render import (
    App,
    failed,
    render_dir,
    render_helm,
    render_kustomize,
    skip,
)
from gitops_guard.render.argo.env import app_env
from gitops_guard.render.charts import ChartOptions, ChartSource, default_cache_dir, locate_chart
from gitops_guard.render.repo import (
    head_commit,
    is_this_repo,
    resolve_commit,
    working_branches,
)
from gitops_guard.render.resolve import Resolver
from gitops_guard.render.sources import Rendered, as_dict

SOURCE_TYPES = ("kustomize", "helm", "directory", "plugin")


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


def render_source(resolver: Resolver, app: App, source: dict[str, Any]) -> list[Rendered]:
    """What `source` renders to: located, typed and rendered as the repo-server does."""
    url = str(source.get("repoURL", ""))
    revision = str(source.get("targetRevision") or "")
    if source.get("chart"):
        return _remote_chart(resolver, app, source, url, revision)
    if not is_this_repo(url, resolver.root):
        skip(resolver, app, f"source {url or '(no repoURL)'} is another repository")
        return []
    found = _tree(resolver, revision)
    if isinstance(found, str):
        skip(resolver, app, found)
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
        failed(resolver, app, f"multiple application sources defined: {', '.join(kinds)}")
        return []
    kind = kinds[0] if kinds else ("kustomize" if kustomization_file(folder) else
                                   "helm" if (folder / "Chart.yaml").is_file() else "directory")
    env = app_env(app.name, app.namespace, app.project, head_commit(tree) or "", url, path,
                  revision)
    if kind == "plugin":
        plugin = as_dict(source.get("plugin"))
        which = f" {plugin['name']}" if plugin.get("name") else ""
        skip(resolver, app, f"source {path}: config management plugin{which} runs in a "
              "repo-server sidecar, which is not available offline")
        return []
    if kind == "kustomize":
        items = render_kustomize(resolver, app, tree, path, as_dict(source.get("kustomize")), env)
    elif kind == "helm":
        helm = as_dict(source.get("helm"))
        items = render_helm(resolver, app, tree, path, path, helm, env)
    else:
        items = render_dir(resolver, app, tree, path, as_dict(source.get("directory")))
    if at:  # files at another ref: point at the object that applies them
        items = [Rendered(r.data, app.item.source, app.item.source_doc, app.item.line)
                 for r in items]
    return items



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
        skip(resolver, app, f"chart {chart} {revision or '(newest)'} from {url}: "
              f"{located.reason}")
        return []
    resolver.cacheable = False  # the chart lives outside the repository
    env = app_env(app.name, app.namespace, app.project, located.version, url, "", revision)
    items = render_helm(resolver, app, resolver.root, located.path.name, ".",
                  as_dict(source.get("helm")), env, located.path.parent)
    # the chart's files are not in the repository: point at the Application
    return [Rendered(r.data, app.item.source, app.item.source_doc, app.item.line)
            for r in items]
