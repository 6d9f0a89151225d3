"""Flux cluster layouts for `gitops-guard init`: the directories `flux bootstrap` syncs.

`flux bootstrap --path clusters/<name>` writes `clusters/<name>/flux-system/`
(gotk-components.yaml, gotk-sync.yaml, kustomization.yaml); the cluster directory is
what its `flux-system` Kustomization applies, so it is the environment. The Flux
Operator's layout counts too (a `flux-system/` holding the `FluxInstance`), and so does
a directory right under `clusters/` holding a Flux Kustomization. A `flux-system/` of
other manifests (a namespace's HelmReleases, say) is not a cluster.

Where the repo says which path its Flux installation syncs, that path is a cluster too,
whatever its name (`kubernetes/flux/cluster` in the home-lab templates): a FluxInstance's
`spec.sync.path`, the flux-instance chart's `instance.sync.path` (in a HelmRelease's
`spec.values` or a values file), the path of the Kustomization named `flux-system`, or
the path of a Kustomization that applies the directory holding it (a cluster that
manages its own root: bjw-s/home-ops' `cluster` applies `kubernetes/main/flux`, where
its own file is).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

FLUX_SYSTEM = "flux-system"
_MANIFESTS = (".yaml", ".yml")
_KUSTOMIZATION_API = "kustomize.toolkit.fluxcd.io/"


def _manifests(folder: Path) -> Iterator[Path]:
    return (p for p in sorted(folder.iterdir()) if p.suffix in _MANIFESTS and p.is_file())


def _holds(folder: Path, marker: str) -> bool:
    for path in _manifests(folder):
        try:
            if marker in path.read_text(encoding="utf-8", errors="replace"):
                return True
        except OSError:
            continue
    return False


def _is_flux_system(folder: Path) -> bool:
    return (folder / "gotk-sync.yaml").is_file() or _holds(folder, "kind: FluxInstance")


_SYNC_FIELDS: tuple[tuple[str, ...], ...] = (
    ("spec", "sync", "path"),  # FluxInstance
    ("instance", "sync", "path"),  # flux-instance chart values
    ("spec", "values", "instance", "sync", "path"),  # ... inline in a HelmRelease
)


def _field(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _synced(data: Any) -> Iterator[str]:
    if not isinstance(data, dict):
        return
    for fields in _SYNC_FIELDS:
        value = _field(data, fields)
        if isinstance(value, str):
            yield value
    meta = data.get("metadata")
    if (str(data.get("apiVersion", "")).startswith(_KUSTOMIZATION_API)
            and isinstance(meta, dict) and meta.get("name") == FLUX_SYSTEM
            and isinstance(_field(data, ("spec", "path")), str)):
        yield data["spec"]["path"]


def _applies_itself(data: Any, path: Path, root: Path) -> Iterator[str]:
    """The spec.path of a Flux Kustomization whose own file lies in what it applies."""
    if not (isinstance(data, dict) and str(data.get("apiVersion", "")).startswith(
            _KUSTOMIZATION_API) and data.get("kind") == "Kustomization"):
        return
    value = _field(data, ("spec", "path"))
    if isinstance(value, str):
        target = (root / value.strip().removeprefix("./")).resolve()
        if target in path.resolve().parents:
            yield value


def sync_paths(root: Path, skip: Callable[[Path], bool]) -> set[Path]:
    """Directories the repo says its Flux installation syncs (module docstring)."""
    found: set[Path] = set()
    for path in sorted(root.rglob("*")):
        if path.suffix not in _MANIFESTS or skip(path) or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if "sync:" not in text and FLUX_SYSTEM not in text:
            continue
        try:
            documents = list(yaml.safe_load_all(text))
        except yaml.YAMLError:  # a template or a broken file: nothing to learn from it
            continue
        for data in documents:
            for value in (*_synced(data), *_applies_itself(data, path, root)):
                target = (root / value.strip().removeprefix("./")).resolve()
                if target != root.resolve() and target.is_relative_to(root.resolve()) \
                        and target.is_dir() and not skip(target):
                    found.add(root / target.relative_to(root.resolve()))
    return found


def flux_clusters(root: Path, skip: Callable[[Path], bool]) -> list[Path]:
    """Cluster directories, repo-relative order: those with a `flux-system/` of
    manifests, the paths the repo's Flux installation syncs, and those right under
    `clusters/` that apply a Flux Kustomization."""
    found: set[Path] = set()
    for system in root.rglob(FLUX_SYSTEM):
        cluster = system.parent
        if system.is_dir() and cluster != root and not skip(system) and \
                _is_flux_system(system):
            found.add(cluster)
    found.update(p for p in sync_paths(root, skip)
                 if not any(p == f or f in p.parents or p in f.parents for f in found))
    for parent in root.rglob("clusters"):
        if not parent.is_dir() or skip(parent):
            continue
        found.update(c for c in parent.iterdir() if c.is_dir() and not skip(c)
                     and not any(c in f.parents for f in found) and _holds(c, _KUSTOMIZATION_API))
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())
