"""Paths named by repository content stay inside the repository (GG120), checked before any
tool or loader reads them.

A Flux `spec.path`, a HelmRelease `valuesFiles` entry, an Argo CD `valueFiles` entry, a
chart directory or an environment dir may name `../..`, an absolute path, or a symlink
(itself or inside the dir) whose target is outside the repository: on a CI runner that
is another checkout, `/proc/self/environ`, `~/.ssh`. Such a path is refused with a GG120
error naming the file and line that named it, and nothing under it is read. An
environment's `load_restrictor: none` turns this off together with kustomize's own.
"""
from __future__ import annotations

import os
from pathlib import Path

from gitops_guard.model import Finding, Severity
from gitops_guard.render.findings import CONFINED, render_finding

MAX_WALK = 20_000  # entries looked at under one dir before giving up (it is refused then)


def _inside(root: Path, path: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return False


def escape(root: Path, rel: str) -> str | None:
    """Why repo path `rel` (a file or a dir, symlinks inside it included) leaves `root`,
    else None. `rel` is as written: absolute and `..` paths are taken literally."""
    target = root / rel
    if os.path.isabs(rel) or not _inside(root, target):
        return f"{rel} resolves outside the repository"
    if not target.is_dir() or (target.is_symlink() and not _inside(root, target)):
        return None
    seen = 0
    for dirpath, dirnames, filenames in os.walk(target):
        for name in (*dirnames, *filenames):
            seen += 1
            entry = Path(dirpath, name)
            if entry.is_symlink() and not _inside(root, entry):
                inner = entry.relative_to(root).as_posix()
                return f"{inner} is a symlink to outside the repository"
        if seen > MAX_WALK:
            return f"{rel} has more than {MAX_WALK} entries"
    return None


def refused(reason: str, what: str, where: str, line: int, env: str | None) -> Finding:
    """GG120 at the file and line that named the path."""
    return render_finding(CONFINED, f"{what} refused: {reason}; nothing outside the "
                          "repository is read", where, line, 1, env, Severity.ERROR)
