"""A plain directory: its YAML and JSON files as they are, each at its own file and line.

With `kustomize_subdirs`, a subdirectory that has its own kustomization file is one
kustomize build and is not descended into (what Flux's generator does for a directory
without a kustomization file; its kustomization file is never loaded as a resource).
"""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from gitops_guard.load import format_for, load_bytes
from gitops_guard.load.datafiles import kustomization_file
from gitops_guard.model import Finding
from gitops_guard.render.sources import Rendered

Build = Callable[[str], tuple[list[Rendered], list[Finding]]]


def plain_entries(target: str, root: Path, recursive: bool = True,
                  kustomize_subdirs: bool = False) -> list[tuple[str, bool]]:
    """(repo path, is a kustomize dir) in walk order."""
    folder = root / target
    if folder.is_file():
        return [(target, False)]
    out: list[tuple[str, bool]] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        if kustomize_subdirs and here != folder and kustomization_file(here):
            out.append((here.relative_to(root).as_posix(), True))
            dirnames[:] = []
            continue
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")) if recursive else []
        for name in sorted(filenames):
            if not name.startswith(".") and format_for(name) in ("yaml", "json"):
                out.append((Path(dirpath, name).relative_to(root).as_posix(), False))
    return out


def load_plain(target: str, root: Path, recursive: bool = True, build: Build | None = None
               ) -> tuple[list[Rendered], list[Finding]]:
    """Load `target`'s files; with `build`, subdirs with a kustomization file are built."""
    items: list[Rendered] = []
    findings: list[Finding] = []
    for path, is_kustomize in plain_entries(target, root, recursive, build is not None):
        if is_kustomize and build is not None:
            built, problems = build(path)
            items.extend(built)
            findings.extend(problems)
            continue
        try:
            data = (root / path).read_bytes()
        except OSError:
            continue
        result = load_bytes(data, path)
        findings.extend(result.findings)
        items.extend(Rendered(d.data, path, d.index, d.line) for d in result.documents
                     if d.data is not None)
    return items, findings
