"""Where a cache may live: a directory of this user that nobody else can write to, outside
the repository being checked.

A cache entry decides a verdict when it is read back, so a directory another user (or a
pull request) can write to is never used: group- or world-writable, owned by someone
else, not a directory, or inside the repository (a PR could commit entries there; a
checkout makes them 0644 in a 0755 dir of the runner's user, which looks private).
What is created is 0700, whatever the umask; files written there are 0600.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path


def refusal(folder: Path, root: Path | None = None) -> str | None:
    """Why `folder` may not hold a cache (None: it may, created or not yet)."""
    if root is not None and folder.resolve().is_relative_to(root.resolve()):
        return "it is inside the repository (a change could commit its entries)"
    try:
        st = folder.lstat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return exc.strerror or "it cannot be read"
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
        return "it is not a directory of this user"
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "it is group- or world-writable"
    return None


def make_private_dir(path: Path) -> None:
    """`path` and every directory created on the way: 0700 (umask notwithstanding)."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
        os.chmod(folder, 0o700)
    if stat.S_IMODE(path.stat().st_mode) != 0o700:
        os.chmod(path, 0o700)  # one an older version made 0755


def open_private(path: Path) -> int:
    """A new file at `path`, 0600, for writing (fails if it exists)."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
