"""Is a GitOps source this repository? Decided from the repo's own git remotes.

Rule (documented in the README):
- Argo CD: `repoURL` equals (after normalizing scheme, user, `.git`, case of host)
  the URL of one of the repository's git remotes.
- Flux: a `GitRepository` source named `flux-system` (what `flux bootstrap` creates
  for the repo it is run against), or one whose `spec.url` equals a remote's URL.
Anything else is remote: skipped with the reason, never rendered from the wrong tree.

A Flux source that is this repository at another branch, tag or commit is read from
git objects at that ref (RefTrees) when the clone has it.

The plan renders the base ref from a copy of the tree without `.git`; inside
`same_repository(copy, clone)` that copy answers with the clone's remotes and git
objects, so base and head agree on what "this repository" is (else every such source
is a phantom change).
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import tarfile
from collections.abc import Iterator
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from gitops_guard.render.tools import run_tool
from gitops_guard.scratch import make_scratch

FLUX_BOOTSTRAP_SOURCE = "flux-system"
_SCP = re.compile(r"^(?:[\w.-]+@)?([\w.-]+):(?!//)(.+)$")


def normalize_url(url: str) -> str:
    url = url.strip()
    scp = _SCP.match(url)
    if scp and "://" not in url:
        host, path = scp.groups()
    else:
        rest = url.split("://", 1)[-1]
        rest = rest.rsplit("@", 1)[-1] if "@" in rest.split("/", 1)[0] else rest
        host, _, path = rest.partition("/")
        host = host.split(":", 1)[0] if host.count(":") == 1 and host.split(":")[1].isdigit() \
            else host
    path = path.strip("/")
    path = path.removesuffix(".git")
    return f"{host.lower()}/{path}"


# (copy of a tree, the clone it was copied from, the commit copied), innermost last
_SAME_AS: ContextVar[tuple[tuple[Path, Path, str], ...]] = ContextVar("same_repository",
                                                                        default=())


@contextlib.contextmanager
def same_repository(tree: Path, clone: Path, commit: str = "") -> Iterator[None]:
    """Inside the block, `tree` (the clone's files at `commit`) is the clone itself:
    same remotes, same git objects, and `commit` is its HEAD."""
    token = _SAME_AS.set((*_SAME_AS.get(), (tree.resolve(), clone.resolve(), commit)))
    try:
        yield
    finally:
        _SAME_AS.reset(token)


def _copy_of(root: Path) -> tuple[Path, Path, str] | None:
    resolved = root.resolve()
    for tree, clone, commit in reversed(_SAME_AS.get()):
        if resolved == tree or tree in resolved.parents:
            return tree, clone, commit
    return None


def identity_root(root: Path) -> Path:
    """The directory whose git remotes and objects are `root`'s repository's."""
    found = _copy_of(root)
    if found is None:
        return root.resolve()
    tree, clone, _ = found
    return clone / root.resolve().relative_to(tree)


def repo_urls(root: Path) -> frozenset[str]:
    return _remote_urls(identity_root(root))


@lru_cache(maxsize=16)
def _remote_urls(root: Path) -> frozenset[str]:
    run = run_tool(["git", "-C", str(root), "remote", "-v"], timeout=10)
    if run.returncode != 0:
        return frozenset()
    return frozenset(normalize_url(line.split()[1]) for line in run.stdout.splitlines()
                     if len(line.split()) >= 2)


def is_this_repo(url: str, root: Path) -> bool:
    return bool(url) and normalize_url(url) in repo_urls(root)


# CI systems name the branch a change will land on (the working tree stands for it).
_BASE_BRANCH_VARIABLES = ("GITHUB_BASE_REF", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME",
                          "CI_DEFAULT_BRANCH")


def _git(root: Path, *args: str) -> str | None:
    run = run_tool(["git", "-C", str(identity_root(root)), *args], timeout=30)
    return run.stdout.strip() if run.returncode == 0 else None


def working_branches(root: Path) -> frozenset[str]:
    """Branches the working tree stands for: the checked-out one, the remotes' default
    branches, and the target branch CI names for this change."""
    found = {os.environ.get(name, "") for name in _BASE_BRANCH_VARIABLES}
    found.add(_git(root, "symbolic-ref", "--quiet", "--short", "HEAD") or "")
    heads = _git(root, "for-each-ref", "--format=%(symref)", "refs/remotes/*/HEAD") or ""
    found.update(line.split("/", 3)[3] for line in heads.splitlines() if line.count("/") >= 3)
    return frozenset(found - {""})


def resolve_commit(root: Path, kind: str, value: str) -> str | None:
    """The commit a Flux GitRepository `spec.ref` names, when this clone has it."""
    if kind == "branch":
        candidates = [f"refs/heads/{value}"]
        remotes = _git(root, "for-each-ref", "--format=%(refname)",
                       f"refs/remotes/*/{value}") or ""
        candidates += remotes.splitlines()
    elif kind == "tag":
        candidates = [f"refs/tags/{value}"]
    else:  # commit or name (a full ref name)
        candidates = [value]
    for candidate in candidates:
        if candidate.startswith("-"):
            continue  # never an option to git
        sha = _git(root, "rev-parse", "--verify", "--quiet", f"{candidate}^{{commit}}")
        if sha:
            return sha
    return None


def tags(root: Path) -> list[str]:
    """This clone's tag names (a Flux `ref.semver` picks among them)."""
    listed = _git(root, "for-each-ref", "--format=%(refname:strip=2)", "refs/tags")
    return listed.splitlines() if listed else []


def head_commit(root: Path) -> str | None:
    copied = _copy_of(root)
    if copied is not None and copied[2]:
        return copied[2]  # a copy of the tree at that commit stands for it
    return _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")


class RefTrees:
    """This repository's tree at other commits, extracted from git objects on demand,
    and other temp trees of one render (`scratch`).

    `git archive` into a scratch dir (members filtered like `tar --data`: no absolute
    paths, no links out of the tree); one extraction per commit per render; `close()`
    removes them.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._trees: dict[str, Path] = {}
        self._scratch: list[Path] = []

    def tree(self, commit: str) -> Path | None:
        if commit not in self._trees:
            folder = make_scratch("gitref")
            archive = folder / "tree.tar"
            run = run_tool(["git", "-C", str(identity_root(self.root)), "archive", "--format=tar",
                            "-o", str(archive), commit])
            if run.returncode != 0:
                shutil.rmtree(folder, ignore_errors=True)
                return None
            target = folder / "tree"
            target.mkdir()
            try:
                with tarfile.open(archive) as tar:
                    tar.extractall(target, filter="data")
            except (tarfile.TarError, OSError):
                shutil.rmtree(folder, ignore_errors=True)
                return None
            archive.unlink()
            self._trees[commit] = target
        return self._trees[commit]

    def scratch(self, purpose: str) -> Path:
        """A temp dir removed by `close()` (e.g. an artifact staged from this repo)."""
        folder = make_scratch(purpose)
        self._scratch.append(folder)
        return folder

    def close(self) -> None:
        for tree in self._trees.values():
            shutil.rmtree(tree.parent, ignore_errors=True)
        for folder in self._scratch:
            shutil.rmtree(folder, ignore_errors=True)
        self._trees.clear()
        self._scratch.clear()
