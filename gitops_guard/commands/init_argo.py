"""Argo CD layouts for `gitops-guard init`: the app-of-apps roots a cluster is synced from.

Argo CD deploys what its root Applications point at. In a repo that holds them, the
directory (or Helm chart) of the root Applications is the environment: rendering it
follows each Application to its source and its destination namespace, which is what
the cluster gets. Two shapes are recognised:

- a Helm chart whose templates produce `argoproj.io` Applications or ApplicationSets
  (the app-of-apps chart of the Argo CD docs and of argocd-example-apps);
- a directory of Application / ApplicationSet manifests that no other Application in
  the repo points at (a child directory is reached through its parent, not again). When
  that directory holds other manifests too (the apps' own sources, in subdirectories), each
  root Application file is proposed instead: the directory, loaded whole, would deploy
  those manifests a second time beside the Applications that deploy them.

An Application whose sources are all directories of other Git repositories is not a root
here: nothing of it renders from this repository (a Helm chart from a chart repository
does, through the chart cache).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from gitops_guard.load.datafiles import KUSTOMIZATION_FILES
from gitops_guard.render.repo import is_this_repo, repo_urls

_ARGO_API = "argoproj.io/"
_APP_KINDS = frozenset({"Application", "ApplicationSet"})
_MANIFESTS = (".yaml", ".yml")


def _files(folder: Path, skip: Callable[[Path], bool]) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.suffix in _MANIFESTS and path.is_file() and not skip(path):
            yield path


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _defines_apps(text: str) -> bool:
    return _ARGO_API in text and any(f"kind: {kind}" in text for kind in _APP_KINDS)


def _apps(path: Path) -> list[dict[str, Any]]:
    try:
        documents = list(yaml.safe_load_all(_text(path)))
    except yaml.YAMLError:
        return []
    return [d for d in documents if isinstance(d, dict) and d.get("kind") in _APP_KINDS
            and str(d.get("apiVersion", "")).startswith(_ARGO_API)]


def _sources(app: dict[str, Any]) -> list[dict[str, Any]]:
    spec = app.get("spec")
    if app.get("kind") == "ApplicationSet" and isinstance(spec, dict):
        template = spec.get("template")
        spec = template.get("spec") if isinstance(template, dict) else None
    if not isinstance(spec, dict):
        return []
    many = spec.get("sources")
    found: list[Any] = many if isinstance(many, list) else [spec.get("source")]
    return [s for s in found if isinstance(s, dict)]


def _renders_here(app: dict[str, Any], root: Path) -> bool:
    """A source in this repository (or a templated one), or a Helm chart to fetch."""
    for source in _sources(app):
        url = str(source.get("repoURL") or "")
        if source.get("chart") or "{{" in url or not repo_urls(root) or \
                is_this_repo(url, root):
            return True
    return False


def _source_paths(app: dict[str, Any]) -> Iterator[str]:
    spec = app.get("spec")
    if app.get("kind") == "ApplicationSet" and isinstance(spec, dict):
        template = spec.get("template")
        spec = template.get("spec") if isinstance(template, dict) else None
    if not isinstance(spec, dict):
        return
    many = spec.get("sources")
    sources: list[Any] = many if isinstance(many, list) else [spec.get("source")]
    for source in sources:
        if isinstance(source, dict) and isinstance(source.get("path"), str):
            yield source["path"]


def _only_apps(folder: Path, app_files: set[Path], skip: Callable[[Path], bool]) -> bool:
    return all(path in app_files or path.name in KUSTOMIZATION_FILES
               for path in _files(folder, skip))


def argo_roots(root: Path, skip: Callable[[Path], bool]) -> list[Path]:
    """App-of-apps charts, root Application directories and files, repo-relative order."""
    charts: set[Path] = set()
    app_dirs: set[Path] = set()
    app_files: set[Path] = set()
    targets: set[Path] = set()
    for path in _files(root, skip):
        text = _text(path)
        if not _defines_apps(text):
            continue
        if "templates" in path.relative_to(root).parts:
            chart = next((p for p in path.parents if (p / "Chart.yaml").is_file()), None)
            if chart is not None and chart != root:
                charts.add(chart)
            continue
        apps = _apps(path)
        if any(_renders_here(app, root) for app in apps):
            app_dirs.add(path.parent)
            app_files.add(path)
        for app in apps:
            targets.update((root / p.strip().removeprefix("./")).resolve()
                           for p in _source_paths(app))
    roots = set(charts)
    for folder in app_dirs:
        if folder.resolve() in targets or any(c in folder.parents for c in charts):
            continue
        if folder != root and _only_apps(folder, app_files, skip):
            roots.add(folder)
        else:
            roots.update(f for f in app_files if f.parent == folder)
    return sorted(roots, key=lambda p: p.relative_to(root).as_posix())
