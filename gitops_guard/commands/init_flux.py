"""Flux cluster layouts for `gitops-guard init`: the directories `flux bootstrap` syncs.

`flux bootstrap --path clusters/<name>` writes `clusters/<name>/flux-system/`
(gotk-components.yaml, gotk-sync.yaml, kustomization.yaml); the cluster directory is
what its `flux-system` Kustomization applies, so it is the environment. The Flux
Operator's layout counts too (a `flux-system/` holding the `FluxInstance`), and so does
a directory right under `clusters/` holding a Flux Kustomization. A `flux-system/` of
other manifests (a namespace's HelmReleases, say) is not a cluster.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

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


def flux_clusters(root: Path, skip: Callable[[Path], bool]) -> list[Path]:
    """Cluster directories, repo-relative order: those with a `flux-system/` of
    manifests, and those right under `clusters/` that apply a Flux Kustomization."""
    found: set[Path] = set()
    for system in root.rglob(FLUX_SYSTEM):
        cluster = system.parent
        if system.is_dir() and cluster != root and not skip(system) and \
                _is_flux_system(system):
            found.add(cluster)
    for parent in root.rglob("clusters"):
        if not parent.is_dir() or skip(parent):
            continue
        found.update(c for c in parent.iterdir() if c.is_dir() and not skip(c)
                     and not any(c in f.parents for f in found) and _holds(c, _KUSTOMIZATION_API))
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())
