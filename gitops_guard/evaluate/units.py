"""Deployable units: the sets of documents that are applied together.

Cross-resource rules (duplicates, Services selecting no pods, missing NetworkPolicy, ...)
judge one unit at a time, never the union of a repository: two clusters both defining
`Kustomization flux-system/apps` are not duplicates, they are two clusters.

    plan_units(documents, root) -> UnitPlan(units, fragments, namespaces)

A unit is, first match wins:

1. a rendered environment (documents carrying `env`): everything it renders;
2. a kustomization that no other kustomization includes: its own file plus the files its
   `resources` / `bases` / `components` / `crds` reach, through nested kustomizations;
3. the `spec.path` of a Flux Kustomization or the source `path` of an Argo CD Application
   found in the input: that kustomization, else the directory (Flux: recursively, as
   kustomize-controller generates one; Argo: `directory.recurse`);
4. any other file: its directory (what `kubectl apply -f DIR` or an Argo CD directory
   source applies).

A file may be in several units (a base shared by overlays); the caller's dedupe reports
its findings once. Files that kustomizations use as patches (`patches`,
`patchesStrategicMerge`, `patchesJson6902`) are fragments, not resources: they are in no
unit, and document rules judge them only when they declare `fragments=True`
(evaluate/api.py). Only the input is read, plus the kustomizations next to and above it
for patches (validate/patches.py), so a pre-commit run on one patch still knows.

`namespaces` maps each file whose namespace is set by what deploys it to that namespace:
a kustomization's `namespace:` (everything its build reaches), an Argo CD Application's
(or ApplicationSet template's) `destination.namespace`, a Flux Kustomization's
`targetNamespace` (the files its path applies). The runner hands it to each document
rule in that document's context (`RuleContext.deployed_namespace`, read by GG505).
"""
from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from gitops_guard.load.datafiles import KUSTOMIZATION_FILES
from gitops_guard.model import Document
from gitops_guard.validate.patches import patch_paths

_MEMBER_LISTS = ("resources", "bases", "components", "crds")
_FLUX = "kustomize.toolkit.fluxcd.io/"
_ARGO = "argoproj.io/"


class Unit(NamedTuple):
    name: str  # env name, kustomization dir, or directory ("." for the root)
    documents: list[Document]


class UnitPlan(NamedTuple):
    units: list[Unit]
    fragments: frozenset[str]  # repo paths of patch files
    namespaces: Mapping[str, str] = {}  # repo path -> namespace what deploys it sets


def _dir(path: str) -> str:
    return posixpath.dirname(path) or "."


def _join(folder: str, ref: str) -> str:
    return posixpath.normpath(posixpath.join("" if folder == "." else folder, ref))


class _Tree:
    """The input's files and kustomizations, by directory."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self.files: dict[str, list[Document]] = {}
        for doc in documents:
            self.files.setdefault(doc.path, []).append(doc)
        self.kustomizations: dict[str, Mapping[str, Any]] = {}
        self._own: dict[str, set[str]] = {}  # dir -> its kustomization file(s)
        self.below: dict[str, set[str]] = {}  # dir -> files anywhere under it
        for path, docs in self.files.items():
            folder = _dir(path)
            if posixpath.basename(path) in KUSTOMIZATION_FILES and isinstance(
                    docs[0].data, dict):
                self.kustomizations[folder] = docs[0].data
                self._own.setdefault(folder, set()).add(path)
            while True:  # "a/b" -> "a" -> "."; "/x/y" -> "/x" -> "/"
                self.below.setdefault(folder, set()).add(path)
                parent = _dir(folder)
                if folder == "." or parent == folder:
                    break
                folder = parent
        self._closures: dict[str, frozenset[str]] = {}

    def closure(self, folder: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
        """The files a kustomization in `folder` builds from (itself included)."""
        done = self._closures.get(folder)
        if done is not None:
            return done
        members: set[str] = set(self._own.get(folder, ()))
        for ref in _refs(self.kustomizations[folder]):
            target = _join(folder, ref)
            if target in self.files:
                members.add(target)
            elif target in self.kustomizations and target not in seen:
                members |= self.closure(target, seen | {folder})
        result = frozenset(members)
        self._closures[folder] = result
        return result

    def directory(self, folder: str, recurse: bool) -> frozenset[str]:
        """What a GitOps controller applies from a plain directory: its kustomization when
        it has one, else its files (and, recursively, its subdirectories' units)."""
        if folder in self.kustomizations:
            return self.closure(folder)
        members: set[str] = set()
        for path in self.below.get(folder, ()):
            parent = _dir(path)
            if parent == folder:
                members.add(path)
            elif recurse:
                top = _child(folder, parent)
                if top in self.kustomizations:
                    members |= self.closure(top)
                elif not self._under_kustomization(folder, parent):
                    members.add(path)
        return frozenset(members)

    def _under_kustomization(self, folder: str, parent: str) -> bool:
        while parent not in (folder, ".") and _dir(parent) != parent:
            if parent in self.kustomizations:
                return True
            parent = _dir(parent)
        return False


def _child(folder: str, descendant: str) -> str:
    """The direct child of `folder` on the way to `descendant`."""
    rest = descendant if folder == "." else descendant[len(folder) + 1:]
    first = rest.split("/", 1)[0]
    return first if folder == "." else f"{folder}/{first}"


def _refs(kustomization: Mapping[str, Any]) -> Iterator[str]:
    for key in _MEMBER_LISTS:
        for entry in kustomization.get(key) or ():
            if isinstance(entry, str) and "://" not in entry:
                yield entry


def _deployments(doc: Document) -> Iterator[tuple[str, bool, str | None]]:
    """(repo path, recurse, namespace it sets or None) that a Flux Kustomization, an Argo CD
    Application or an ApplicationSet's template (literal paths only) applies."""
    data = doc.data
    api, kind = str(data.get("apiVersion", "")), data.get("kind")
    spec = data.get("spec") if isinstance(data.get("spec"), dict) else {}
    if api.startswith(_ARGO) and kind == "ApplicationSet":
        template = spec.get("template")
        spec = template.get("spec") if isinstance(template, dict) else None
        spec = spec if isinstance(spec, dict) else {}
        kind = "Application"
    if api.startswith(_FLUX) and kind == "Kustomization" and isinstance(spec.get("path"), str):
        yield spec["path"], True, _text(spec.get("targetNamespace"))
    elif api.startswith(_ARGO) and kind == "Application":
        destination = spec.get("destination")
        namespace = _text(destination.get("namespace")) if isinstance(
            destination, dict) else None
        sources = [spec.get("source"), *(spec.get("sources") or ())]
        for source in sources:
            if isinstance(source, dict) and isinstance(source.get("path"), str) \
                    and "{{" not in source["path"]:
                directory = source.get("directory")
                yield source["path"], bool(isinstance(directory, dict)
                                           and directory.get("recurse")), namespace


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value and "{{" not in value else None


def _deployed_folder(path: str) -> str | None:
    folder = posixpath.normpath(path.strip().lstrip("/")) or "."
    # The whole repository is no unit: that is the union this module avoids.
    return None if folder in (".", "") or folder.startswith("..") else folder


def _namespaces(tree: _Tree, deployers: Sequence[Document]) -> dict[str, str]:
    """Repo path -> the namespace what deploys it sets: a kustomization's `namespace:`
    (its whole build), an Argo CD destination or a Flux `targetNamespace` (its path)."""
    found: dict[str, str] = {}
    for folder, kustomization in tree.kustomizations.items():
        own = _text(kustomization.get("namespace"))
        if own is not None:
            found.update(dict.fromkeys(tree.closure(folder), own))
    for doc in deployers:
        for path, recurse, target in _deployments(doc):
            where = _deployed_folder(path)
            if target is not None and where is not None and where in tree.below:
                for member in tree.directory(where, recurse):
                    found.setdefault(member, target)
    return found


def _file_units(documents: Sequence[Document], fragments: frozenset[str],
                deployers: Sequence[Document]) -> tuple[list[Unit], dict[str, str]]:
    tree = _Tree(documents)
    included = {_join(folder, ref) for folder, k in tree.kustomizations.items()
                for ref in _refs(k)}
    roots: dict[str, frozenset[str]] = {
        folder: tree.closure(folder) for folder in sorted(tree.kustomizations)
        if folder not in included}
    for doc in deployers:  # what deploys a path (only Flux or Argo CD objects do)
        if doc.env is not None:
            continue
        for path, recurse, _ in _deployments(doc):
            folder = _deployed_folder(path)
            if folder is not None and folder in tree.below and folder not in roots:
                roots[folder] = tree.directory(folder, recurse)
    covered = set().union(*roots.values()) if roots else set()
    leftover: dict[str, set[str]] = {}
    for path in tree.files:
        if path not in covered and path not in fragments:
            leftover.setdefault(_dir(path), set()).add(path)
    for folder, paths in leftover.items():
        roots[f"{folder} (files)" if folder in roots else folder] = frozenset(paths)
    units: list[Unit] = []
    for name, members in roots.items():
        docs = [d for p in sorted(members - fragments) for d in tree.files[p]]
        if docs:
            units.append(Unit(name, docs))
    return units, _namespaces(tree, deployers)


def plan_units(documents: Sequence[Document], root: Path | None = None) -> UnitPlan:
    """The units cross-resource rules judge, and the patch files among `documents`."""
    fragments = patch_paths(documents, root)
    by_env: dict[str, list[Document]] = {}
    plain: list[Document] = []
    for doc in documents:
        if doc.env is not None:  # a remote cluster (Flux spec.kubeConfig) is a unit of its own
            unit = f"{doc.env} ({doc.cluster})" if doc.cluster else doc.env
            by_env.setdefault(unit, []).append(doc)
        else:
            plain.append(doc)
    units = [Unit(name, docs) for name, docs in by_env.items()]
    # A rendered environment's Applications deploy the repository's files too.
    deployers = [d for d in documents if d.is_kubernetes and str(
        d.data["apiVersion"]).startswith((_FLUX, _ARGO))]
    files, namespaces = _file_units(plain, fragments, deployers)
    units.extend(files)
    return UnitPlan(units, fragments, namespaces)
