"""The files an environment reads, from its kustomization files and GitOps objects (no render).

Used to answer "which environments does this change affect" and as the cache key
of a render. It errs on the side of including: a GitOps object's path is followed
whatever its source, a chart counts as its whole directory.
"""
from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from gitops_guard.load.datafiles import KUSTOMIZATION_FILES

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

_YAML = (".yaml", ".yml", ".json")
_FILE_LISTS = ("resources", "bases", "components", "crds", "patchesStrategicMerge",
               "configurations", "transformers", "generators", "validators")


def is_remote(ref: str) -> bool:
    """A kustomize reference kustomize would fetch (http(s), git, ssh, a `github.com/` path)."""
    return "://" in ref or ref.startswith(("git@", "github.com/", "gitlab.com/", "oci:"))


@dataclass
class Graph:
    files: set[str] = field(default_factory=set)  # repo-relative files read
    trees: set[str] = field(default_factory=set)  # repo-relative dirs read whole
    remote: set[str] = field(default_factory=set)  # URLs: not in the repo
    # (kustomization file, URL) pairs: what kustomize would fetch over the network
    remote_from: set[tuple[str, str]] = field(default_factory=set)
    # (kustomization file, reference) pairs that resolve outside the repository
    outside: set[tuple[str, str]] = field(default_factory=set)

    def covers(self, path: str) -> bool:
        path = posixpath.normpath(path)
        return path in self.files or any(
            t in ("", ".") or path == t or path.startswith(t + "/") for t in self.trees)


def _yaml_docs(path: Path, data: bytes | None = None) -> list[Any]:
    try:
        text = path.read_bytes() if data is None else data
        return [d for d in yaml.load_all(text, Loader=_Loader) if d is not None]
    except (OSError, yaml.YAMLError, ValueError):
        return []


def may_name(data: bytes, groups: frozenset[bytes]) -> bool:
    """Can a document in `data` have an apiVersion of one of `groups`? Not when no group
    is written in it: a YAML or JSON string holds its text as written unless escaped
    (a backslash) or the file is UTF-16/32 (NUL bytes). Parsing every file of a large
    environment to find its few GitOps objects was most of the cost of `ci`'s affected
    environments and of the render cache's key."""
    return b"\\" in data or b"\x00" in data or any(g in data for g in groups)


class PathsOf(Protocol):
    """What the graph needs of a controller (render.resolve.Controller has it)."""

    def paths(self, doc: dict[str, Any]) -> Iterator[tuple[str, str]]: ...


Controllers = Mapping[tuple[str, str], PathsOf]


def _group_kind(doc: dict[str, Any]) -> tuple[str, str]:
    api, kind = doc.get("apiVersion"), doc.get("kind")
    return (api.rpartition("/")[0] if isinstance(api, str) else "",
            kind if isinstance(kind, str) else "")


_GITOPS_API = re.compile(rb"argoproj\.io/|toolkit\.fluxcd\.io/")


def _templates_gitops_objects(chart: Path) -> bool:
    """Does a template of the chart write an Argo CD or Flux object?"""
    templates = chart / "templates"
    if not templates.is_dir():
        return False
    for path in templates.rglob("*"):
        if path.is_file() and not path.is_symlink() and path.stat().st_size < 1 << 20 \
                and _GITOPS_API.search(path.read_bytes()):
            return True
    return False


class _Walker:
    def __init__(self, root: Path, controllers: Controllers) -> None:
        self.root = root.resolve()
        self.controllers = controllers
        self.graph = Graph()
        self._seen_dirs: set[str] = set()
        self._groups = frozenset(group.encode() for group, _ in controllers)

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
        if folder.is_file():  # a controller's path naming a file (HelmRelease valuesFiles)
            self.file(folder)
            return
        if kind == "helm" or (not kind and (folder / "Chart.yaml").is_file()):
            self.graph.trees.add(rel)
            if _templates_gitops_objects(folder):
                # what they point at is known only once rendered (an app-of-apps chart):
                # every file of the repository may be an input
                self.graph.trees.add(".")
            return
        for name in KUSTOMIZATION_FILES:
            if (folder / name).is_file():
                self.kustomization(f"{rel}/{name}" if rel != "." else name)
                return
        self.graph.trees.add(rel)  # plain dir (Flux generates a kustomization of all files)
        for dirpath, dirnames, filenames in os.walk(folder):
            here = Path(dirpath)
            if here != folder and any((here / n).is_file() for n in KUSTOMIZATION_FILES):
                sub = self.rel(here)  # the generator lists it as one kustomize dir
                if sub is not None:
                    self.directory(sub)
                dirnames[:] = []
                continue
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
            if is_remote(ref):
                self.graph.remote.add(ref)
                self.graph.remote_from.add((rel, ref))
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
        if not self.controllers:
            return
        try:
            data = absolute.read_bytes()
        except OSError:
            return
        if not may_name(data, self._groups):
            return
        for doc in _yaml_docs(absolute, data):
            if isinstance(doc, dict):
                controller = self.controllers.get(_group_kind(doc))
                for path, kind in controller.paths(doc) if controller else ():
                    self.directory(_clean(path), kind)


def _clean(path: str) -> str:
    return posixpath.normpath(path.lstrip("/")) or "."


def outside_references(target: str, root: Path) -> list[tuple[str, str]]:
    """(kustomization file, reference) pairs under kustomize dir `target` that leave the repo."""
    walker = _Walker(root, {})
    walker.directory(target)
    return sorted(walker.graph.outside)


def refused_references(target: str, root: Path, load_restrictor_none: bool
                       ) -> list[tuple[str, str]]:
    """What refuses a kustomize build of `target` before it runs: references leaving the
    repository (unless `load_restrictor: none`) and remote URLs (always: no network)."""
    walker = _Walker(root, {})
    walker.directory(target)
    return sorted(walker.graph.remote_from | (set() if load_restrictor_none
                                              else walker.graph.outside))


def source_graph(source: str, root: Path, controllers: Controllers) -> Graph:
    """What a source named as in RenderResult.failed reads in the tree at `root`: a dir
    (`apps/staging`) or file (a kustomization file: its dir), or `FILE#Kind/name`, the
    paths of that GitOps object in FILE."""
    path, _, wanted = source.partition("#")
    if not wanted:  # a kustomization file: what a build of its dir reads
        if posixpath.basename(path) in KUSTOMIZATION_FILES:
            path = posixpath.dirname(path) or "."
        return environment_graph(path, "", (), root, controllers)
    walker = _Walker(root, controllers)
    for doc in _yaml_docs(root / path) if walker.rel(root / path) else ():
        if not isinstance(doc, dict):
            continue
        meta = doc.get("metadata")
        name = meta.get("name") if isinstance(meta, dict) else None
        controller = controllers.get(_group_kind(doc))
        if controller is not None and f"{doc.get('kind')}/{name}" == wanted:
            for target, kind in controller.paths(doc):
                walker.directory(_clean(target), kind)
    return walker.graph


def environment_graph(path: str, kind: str, values: tuple[str, ...], root: Path,
                      controllers: Controllers) -> Graph:
    """Files the environment at `path` reads, following GitOps objects via `controllers`."""
    walker = _Walker(root, controllers)
    walker.directory(path, kind if kind in ("helm", "plain") else "")
    for value in values:
        walker.file(root / value)
    return walker.graph
