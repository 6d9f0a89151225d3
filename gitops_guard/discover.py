"""Which files to check: paths from argv or the whole repo, filtered by include/exclude."""
from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from gitops_guard.errors import UsageError
from gitops_guard.globs import matches


def find_root(start: Path) -> Path:
    """The git work tree containing `start`, else `start` itself."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def display_path(path: Path, root: Path) -> str:
    """Repo-relative with forward slashes when inside the repo, else as absolute."""
    resolved = path.resolve() if not path.is_absolute() else path
    try:
        return resolved.relative_to(root).as_posix()
    except ValueError:
        return resolved.as_posix()


def _walk(folder: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        # Hidden entries (.git, .terraform, .venv, .gitops-guard.yaml, .pre-commit-config.yaml)
        # are tooling, not the repo's manifests; an explicit PATH still reaches them.
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and d != "node_modules")
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath, name)


def discover_files(
    paths: Sequence[str], root: Path, include: Sequence[str], exclude: Sequence[str],
) -> list[tuple[Path, str]]:
    """(absolute path, display path) of each file to check, sorted, without duplicates."""
    targets = [Path(p) for p in paths] or [root]
    seen: dict[Path, str] = {}
    for target in targets:
        absolute = (target if target.is_absolute() else Path.cwd() / target).resolve()
        if absolute.is_file():
            shown = display_path(absolute, root)
            if not matches(shown, exclude):
                seen.setdefault(absolute, shown)
            continue
        if not absolute.is_dir():
            raise UsageError(f"{target}: no such file or directory")
        for file in _walk(absolute):
            shown = display_path(file, root)
            if matches(shown, include) and not matches(shown, exclude):
                seen.setdefault(file, shown)
    return sorted(seen.items(), key=lambda item: item[1])
