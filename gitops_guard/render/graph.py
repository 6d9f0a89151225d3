"""The files an environment reads, from its kustomization files and GitOps objects (no render).

Used to answer "which environments does this change affect" and as the cache key
of a render. It errs on the side of including: a GitOps object's path is followed
whatever its source, a chart counts as its whole directory.
"""
from __future__ import annotations

import os
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gitops_guard.render.kustomize import KUSTOMIZATION_FILES
from gitops_guard.render.sources import as_dict

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

_YAML = (".yaml", ".yml", ".json")
_FILE_LISTS = ("resources", "bases", "components", "crds", "patchesStrategicMerge",
               "configurations", "transformers", "generators", "validators")


@dataclass
class Graph:
    files: set[str] = field(default_factory=set)  # repo-relative files read
    trees: set[str] = field(default_factory=set)  # repo-relative dirs read whole
    remote: set[str] = field(default_factory=set)  # URLs: not in the repo
    # (kustomization file, reference) pairs that resolve outside the repository
    outside: set[tuple[str, str]] = field(default_factory=set)

    def covers(self, path: str) -> bool:
        path = posixpath.normpath(path)
        return path in self.files or any(
            t in ("", ".") or path == t or path.startswith(t + "/") for t in self.trees)


def _is_remote(ref: str) -> bool:
    return "://" in ref or ref.startswith(("git@", "github.com/", "gitlab.com/", "oci:"))


def _yaml_docs(path: Path) -> list[Any]:
    try:
        return [d for d in yaml.load_all(path.read_bytes(), Loader=_Loader) if d is not None]
    except (OSError, yaml.YAMLError, ValueError):
        return []


class _Walker:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.graph = Graph()
        self._seen_dirs: set[str] = set()

    def rel(self, absolute: Path) -> str | None:
        try:
            return absolute.resolve().relative_to(self.root).as_posix() or "."
        except ValueError:
            return None  # outside the repo: never read (load restrictor / our own rule)

    def directory(self, rel: str, kind: str = "") -> None:
        rel = posixpath.normpath(rel)
        if rel in self._seen_dirs:
            return
        self._seen_dirs.add(rel)
        folder = self.root / rel
        if kind == "helm" or (not kind and (folder / "Chart.yaml").is_file()):
            self.graph.trees.add(rel)
            return
        for name in KUSTOMIZATION_FILES:
            if (folder / name).is_file():
                self.kustomization(f"{rel}/{name}" if rel != "." else name)
                return
        self.graph.trees.add(rel)  # plain dir (Flux generates a kustomization of all files)
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if name.endswith(_YAML):
                    self.gitops_objects(Path(dirpath, name))

    def file(self, absolute: Path) -> None:
        rel = self.rel(absolute)
        if rel is None:
            return
        self.graph.files.add(rel)
        if rel.endswith(_YAML):
            self.gitops_objects(absolute)

    def kustomization(self, rel: str) -> None:
        self.graph.files.add(rel)
        docs = _yaml_docs(self.root / rel)
        config = docs[0] if docs and isinstance(docs[0], dict) else {}
        folder = self.root / posixpath.dirname(rel)
        for ref in self._refs(config):
            if _is_remote(ref):
                self.graph.remote.add(ref)
                continue
            target = (folder / ref)
            if self.rel(target) is None:
                self.graph.outside.add((rel, ref))
            elif target.is_dir():
                sub = self.rel(target)
                if sub is not None:
                    self.directory(sub)
            else:
                self.file(target)
        for chart in config.get("helmCharts") or ():
            if isinstance(chart, dict):
                home = folder / str(config.get("helmGlobals", {}).get("chartHome", "charts"))
                sub = self.rel(home / str(chart.get("name", "")))
                if sub is not None:
                    self.graph.trees.add(sub)
                if isinstance(chart.get("valuesFile"), str):
                    self.file(folder / chart["valuesFile"])

    @staticmethod
    def _refs(config: dict[str, Any]) -> Iterator[str]:
        for key in _FILE_LISTS:
            for entry in config.get(key) or ():
                if isinstance(entry, str) and "\n" not in entry:
                    yield entry
        for key in ("patches", "patchesJson6902", "replacements"):
            for entry in config.get(key) or ():
                if isinstance(entry, dict) and isinstance(entry.get("path"), str):
                    yield entry["path"]
        for key in ("configMapGenerator", "secretGenerator"):
            for entry in config.get(key) or ():
                if not isinstance(entry, dict):
                    continue
                for item in [*(entry.get("files") or ()), *(entry.get("envs") or ()),
                             *([entry["env"]] if isinstance(entry.get("env"), str) else [])]:
                    if isinstance(item, str):
                        yield item.split("=", 1)[-1]

    def gitops_objects(self, absolute: Path) -> None:
        for doc in _yaml_docs(absolute):
            if isinstance(doc, dict):
                for path, kind in gitops_paths(doc):
                    self.directory(path, kind)


def gitops_paths(doc: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Repo paths a Flux or Argo CD object would render (whatever its source: a superset)."""
    api, kind = str(doc.get("apiVersion", "")), doc.get("kind")
    spec = as_dict(doc.get("spec"))
    if api.startswith("kustomize.toolkit.fluxcd.io/") and kind == "Kustomization":
        yield _clean(str(spec.get("path") or ".")), ""
    elif api.startswith("helm.toolkit.fluxcd.io/") and kind == "HelmRelease":
        chart = as_dict(as_dict(spec.get("chart")).get("spec"))
        if isinstance(chart.get("chart"), str) and chart["chart"].startswith(("./", "/")):
            yield _clean(chart["chart"]), "helm"
    elif api.startswith("argoproj.io/") and kind in ("Application", "ApplicationSet"):
        template = spec.get("template") if kind == "ApplicationSet" else doc
        tspec = template.get("spec") if isinstance(template, dict) else None
        if isinstance(tspec, dict):
            sources = [tspec.get("source"), *(tspec.get("sources") or ())]
            for source in sources:
                if isinstance(source, dict) and isinstance(source.get("path"), str) and (
                        "{{" not in source["path"]):
                    yield _clean(source["path"]), ""
        if kind == "ApplicationSet":
            for gen in spec.get("generators") or ():
                for d in as_dict(as_dict(gen).get("git")).get("directories") or ():
                    if isinstance(d, dict) and isinstance(d.get("path"), str):
                        yield _clean(d["path"].split("*")[0] or "."), "plain"


def _clean(path: str) -> str:
    return posixpath.normpath(path.lstrip("/")) or "."


def environment_graph(path: str, kind: str, values: tuple[str, ...], root: Path) -> Graph:
    walker = _Walker(root)
    walker.directory(path, kind if kind in ("helm", "plain") else "")
    for value in values:
        walker.file(root / value)
    return walker.graph
