"""The repository as it was at a git ref, written to a temporary directory.

Read-only on the user's repository: `git ls-tree` + `git cat-file --batch` read
objects straight from the object store, so the working tree, the index and the
worktree list are never touched (no `git archive` export-ignore surprises
either). The directory is removed when the context exits, on Ctrl-C and SIGTERM too.
"""
from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from pathlib import Path

from gitops_guard.errors import GuardError, ToolMissingError
from gitops_guard.runner_env import scrub_secrets
from gitops_guard.scratch import cleanup_on_signals, scratch_dir

__all__ = ["GitError", "cleanup_on_signals", "git", "resolve_ref", "tree_at", "write_tree"]

GIT_TIMEOUT = 120.0  # default of config `timeouts.git_seconds`
_GIT_TIMEOUT: ContextVar[float] = ContextVar("git_timeout", default=GIT_TIMEOUT)


@contextlib.contextmanager
def git_timeout(seconds: float) -> Iterator[None]:
    """Every git command inside the block is limited to `seconds`."""
    token = _GIT_TIMEOUT.set(seconds)
    try:
        yield
    finally:
        _GIT_TIMEOUT.reset(token)


class GitError(GuardError):
    """A git command failed (bad ref, not a repository)."""


def git(args: Sequence[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    limit = _GIT_TIMEOUT.get()
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True,
                              timeout=limit, check=False)
    except FileNotFoundError:
        raise ToolMissingError("git", "install git (https://git-scm.com)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} timed out after {limit:g}s (config timeouts.git_seconds)"
                       ) from None
    if proc.returncode != 0:
        msg = proc.stderr.decode(errors="replace").strip().splitlines()
        raise GitError(scrub_secrets(f"git {' '.join(args[:2])}: "
                                     f"{msg[-1] if msg else 'failed'}"))
    return proc.stdout


def resolve_ref(ref: str, root: Path) -> str:
    if ref.startswith("-"):
        raise GitError(f"{ref!r} is not a git ref")
    try:
        return git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root).decode().strip()
    except GitError as exc:
        if "timed out" in str(exc):  # a slow repository, not a missing ref: say so
            raise
        raise GitError(f"--base {ref}: no such commit in {root}") from None


def _prefix(root: Path) -> str:
    return git(["rev-parse", "--show-prefix"], root).decode().strip()


def write_tree(commit: str, root: Path, dest: Path) -> int:
    """Write the files under `root` as of `commit` into `dest`; returns the file count.

    A blob missing from the object store (a damaged or partial clone without its
    promisor) is not written and named on stderr: git's own checkout of such a clone
    lacks the same files, so both sides of a plan agree."""
    prefix = _prefix(root)
    listing = git(["ls-tree", "-r", "-z", "--full-tree", commit, *([prefix] if prefix else [])],
                  root)
    entries: list[tuple[str, str, str]] = []  # mode, sha, relative path
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, kind, sha = meta.decode().split()
        if kind != "blob":
            continue  # submodules are not part of this repository's manifests
        rel = path.decode("utf-8", "surrogateescape")[len(prefix):]
        entries.append((mode, sha, rel))
    if not entries:
        return 0
    blobs = git(["cat-file", "--batch"], root, "".join(f"{sha}\n" for _, sha, _ in entries)
                .encode())
    offset, missing = 0, []
    base = dest.resolve()
    for mode, _sha, rel in entries:
        header_end = blobs.index(b"\n", offset)
        header = blobs[offset:header_end].split()
        if len(header) < 3:  # "<sha> missing"
            offset = header_end + 1
            missing.append(rel)
            continue
        size = int(header[2])
        content = blobs[header_end + 1:header_end + 1 + size]
        offset = header_end + 1 + size + 1
        target = (base / rel).resolve()
        if base not in target.parents:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if mode == "120000":
            target.symlink_to(content.decode("utf-8", "surrogateescape"))
        else:
            target.write_bytes(content)
    if missing:
        more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
        print(f"gitops-guard: warning: {commit[:12]}: {missing[0]}{more} missing from the "
              "git object store (an incomplete clone); left out of that tree", file=sys.stderr)
    return len(entries) - len(missing)


@contextlib.contextmanager
def tree_at(ref: str, root: Path) -> Iterator[Path]:
    """A temporary directory holding `root` as of `ref`, always removed afterwards."""
    commit = resolve_ref(ref, root)
    with cleanup_on_signals(), scratch_dir("base") as tmp:
        dest = tmp / "tree"
        dest.mkdir()
        write_tree(commit, root, dest)
        yield dest
