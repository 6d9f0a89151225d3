"""Which files to check: paths from argv or the whole repo, filtered by include/exclude.

Only regular files inside the boundary are ever returned, so nothing downstream opens
a FIFO (opening one blocks until a writer appears), a device (`/dev/zero` never ends)
or a file outside the repository (design §7). The boundary is the repository root;
a PATH that itself lies outside the repository was named on purpose, so its boundary
is that PATH. A symlink (to a file or a directory, explicit or found while walking)
whose target resolves outside the boundary is not read, whoever named it: a PR could
otherwise commit `values.yaml -> /home/runner/.ssh/id_rsa` and have CI quote it back.
Directory symlinks are never followed while walking, so symlink loops cannot hang.
Every entry refused this way is a GG003 finding that says why.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from gitops_guard.errors import UsageError
from gitops_guard.globs import matches
from gitops_guard.load.base import UNREADABLE
from gitops_guard.model import Finding, Location, Severity

OUTSIDE = "symlink target is outside the repository; not read (gitops-guard reads nothing " \
    "outside the repository)"


class Discovery(NamedTuple):
    files: list[tuple[Path, str]]  # (absolute path, display path), sorted by display path
    findings: list[Finding]  # entries that match the filters but were refused, and why


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


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _refusal(path: Path, boundary: Path) -> str | None:
    """Why `path` (a walked or named file) must not be opened, or None when it is safe.

    Resolving never opens anything; a loop is reported, not followed forever.
    """
    try:
        resolved = path.resolve(strict=True)
        mode = resolved.stat().st_mode
    except RuntimeError:  # Python 3.11 raises this for a symlink loop (3.13: OSError)
        return "symlink loop; not read"
    except OSError as exc:
        if path.is_symlink():
            return f"broken symlink ({exc.strerror}); not read"
        return f"cannot read: {exc.strerror}"
    if not resolved.is_relative_to(boundary):
        return OUTSIDE
    if not stat.S_ISREG(mode):
        return f"{_kind(mode)}, not a regular file; not read"
    return None


def _walk(folder: Path, boundary: Path) -> Iterator[tuple[Path, str | None]]:
    """Every file under `folder` with the reason to refuse it (None: safe to read)."""
    for dirpath, dirnames, filenames in os.walk(folder):
        # Hidden entries (.git, .terraform, .venv, .gitops-guard.yaml, .pre-commit-config.yaml)
        # are tooling, not the repo's manifests; an explicit PATH still reaches them.
        # os.walk does not follow directory symlinks (followlinks=False): no loops.
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and d != "node_modules")
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            file = Path(dirpath, name)
            try:
                mode = file.lstat().st_mode
            except OSError as exc:  # vanished while walking
                yield file, f"cannot read: {exc.strerror}"
                continue
            if stat.S_ISREG(mode):  # the common case costs one lstat, no resolve
                yield file, None
            elif stat.S_ISLNK(mode):
                yield file, _refusal(file, boundary)
            else:
                yield file, f"{_kind(mode)}, not a regular file; not read"


def _skipped(shown: str, reason: str) -> Finding:
    return Finding(UNREADABLE, Severity.ERROR, reason, Location(shown), source="discover")


def discover(
    paths: Sequence[str], root: Path, include: Sequence[str], exclude: Sequence[str],
) -> Discovery:
    """The files to check and a finding for each matching entry that is refused."""
    root = root.resolve()
    targets = [Path(p) for p in paths] or [root]
    seen: dict[Path, str] = {}
    refused: dict[str, Finding] = {}
    for target in targets:
        # The path as named, `..` folded but symlinks not followed: where the user pointed.
        named = Path(os.path.abspath(target if target.is_absolute() else Path.cwd() / target))
        inside = named.is_relative_to(root)
        try:
            absolute = named.resolve()
        except RuntimeError:  # a symlink loop named on the command line
            absolute = named
        if not named.exists() and not named.is_symlink():
            raise UsageError(f"{target}: no such file or directory")
        if absolute.is_dir():
            if inside and not absolute.is_relative_to(root):  # a directory symlink escaping
                shown = display_path(named, root)
                refused.setdefault(shown, _skipped(shown, OUTSIDE))
                continue
            for file, reason in _walk(absolute, root if inside else absolute):
                shown = display_path(file, root)
                if not matches(shown, include) or matches(shown, exclude):
                    continue
                if reason is None:
                    seen.setdefault(file, shown)
                else:
                    refused.setdefault(shown, _skipped(shown, reason))
            continue
        # A named file is checked whatever `include` says; `exclude` still applies. One
        # named outside the repository was asked for, so only its own kind is checked.
        reason = _refusal(named, root if inside else absolute.parent)
        shown = display_path(absolute if reason is None else named, root)
        if matches(shown, exclude):
            continue
        if reason is None:
            seen.setdefault(absolute, shown)
        else:
            refused.setdefault(shown, _skipped(shown, reason))
    files = sorted(seen.items(), key=lambda item: item[1])
    return Discovery(files, [refused[k] for k in sorted(refused)])


def discover_files(
    paths: Sequence[str], root: Path, include: Sequence[str], exclude: Sequence[str],
) -> list[tuple[Path, str]]:
    """(absolute path, display path) of each file safe to read, sorted, without duplicates.

    Refused entries are left out; `discover` also says why, as findings.
    """
    return discover(paths, root, include, exclude).files
