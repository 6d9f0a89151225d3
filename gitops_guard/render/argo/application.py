"""Argo CD `Application` (argoproj.io): what the repo-server renders for each source.

Sources whose repoURL is this repo are rendered: a plain or Kustomize directory, or a
Helm chart with helm valueFiles / values / valuesObject / parameters. Everything else
(remote sources, `$values` files from another source, kustomize overrides) is reported
as not rendered.
"""
from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Any

from gitops_guard.render.helm import deep_merge, load_values, render_chart
from gitops_guard.render.repo import is_this_repo
from gitops_guard.render.resolve import Resolver
from gitops_guard.render.sources import Rendered, as_dict
from gitops_guard.render.values import set_value, yaml_values

GROUP_KIND = ("argoproj.io", "Application")


def paths(doc: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Repo paths of the sources (whatever their repoURL: a superset)."""
    spec = as_dict(doc.get("spec"))
    for source in [spec.get("source"), *(spec.get("sources") or ())]:
        if isinstance(source, dict) and isinstance(source.get("path"), str) and (
                "{{" not in source["path"]):
            yield posixpath.normpath(source["path"].lstrip("/")) or ".", ""


def render(resolver: Resolver, item: Rendered, depth: int) -> None:
    render_app(resolver, item, item.data, depth)


def render_app(resolver: Resolver, item: Rendered, app: dict[str, Any], depth: int) -> None:
    """Render the sources of `app` (the object `item` itself, or one an ApplicationSet made)."""
    spec = as_dict(app.get("spec"))
    name = str(as_dict(app.get("metadata")).get("name", ""))
    sources = [spec["source"]] if isinstance(spec.get("source"), dict) else [
        s for s in spec.get("sources") or () if isinstance(s, dict)]
    dest = as_dict(spec.get("destination"))
    for source in sources:
        url = str(source.get("repoURL", ""))
        if not is_this_repo(url, resolver.root):
            what = f"chart {source.get('chart')} from " if source.get("chart") else ""
            resolver.skip(item, f"Application {name}: {what}{url or 'no repoURL'} is not "
                          "this repository")
            continue
        if "path" not in source:  # a `ref:` source only supplies $values files
            continue
        path = posixpath.normpath(str(source["path"]).lstrip("/")) or "."
        if not (resolver.root / path).is_dir():
            resolver.missing(item, f"Application {name}: path {path} does not exist")
            continue
        if not resolver.enter(f"Application {name} -> {path}", item, depth):
            continue
        helm = source.get("helm") if isinstance(source.get("helm"), dict) else None
        if helm is not None or (resolver.root / path / "Chart.yaml").is_file():
            _helm(resolver, item, name, path, helm or {},
                  str(dest.get("namespace") or "default"), depth)
            continue
        if isinstance(source.get("kustomize"), dict) and source["kustomize"]:
            resolver.skip(item, f"Application {name}: kustomize overrides "
                          f"({', '.join(sorted(source['kustomize']))}) are not applied")
        directory = as_dict(source.get("directory"))
        resolver.add(resolver.render_path(path, recursive=bool(directory.get("recurse"))),
                     depth + 1)


def _helm(resolver: Resolver, item: Rendered, name: str, path: str, helm: dict[str, Any],
          namespace: str, depth: int) -> None:
    files = []
    for f in helm.get("valueFiles") or ():
        if str(f).startswith("$"):
            resolver.skip(item, f"Application {name}: value file {f} from another source")
        else:
            files.append(posixpath.normpath(posixpath.join(path, str(f))))
    values, findings = load_values(files, resolver.root, resolver.env, item.source)
    resolver.findings.extend(findings)
    if isinstance(helm.get("values"), str):
        values = deep_merge(values, yaml_values(helm["values"])[0])
    if isinstance(helm.get("valuesObject"), dict):
        values = deep_merge(values, helm["valuesObject"])
    for param in helm.get("parameters") or ():
        if isinstance(param, dict) and "name" in param:
            values = deep_merge(values, set_value(str(param["name"]),
                                                  str(param.get("value", "")),
                                                  bool(param.get("forceString"))))
    items, findings = render_chart(path, resolver.root, resolver.env,
                                   release=str(helm.get("releaseName") or name),
                                   namespace=namespace, values=values)
    resolver.findings.extend(findings)
    resolver.add(items, depth + 1)
