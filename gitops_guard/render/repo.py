"""Is a GitOps source this repository? Decided from the repo's own git remotes.

Rule (documented in the README):
- Argo CD: `repoURL` equals (after normalizing scheme, user, `.git`, case of host)
  the URL of one of the repository's git remotes.
- Flux: a `GitRepository` source named `flux-system` (what `flux bootstrap` creates
  for the repo it is run against), or one whose `spec.url` equals a remote's URL.
Anything else is remote: skipped with the reason, never rendered from the wrong tree.

The plan renders the base ref from a copy of the tree without `.git`; inside
`same_repository(copy, clone)` that copy answers with the clone's remotes, so base and
head agree on what "this repository" is (else every such source is a phantom change).
"""
from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from gitops_guard.render.tools import run_tool

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


# (copy of a tree, the clone it was copied from), innermost last
_SAME_AS: ContextVar[tuple[tuple[Path, Path], ...]] = ContextVar("same_repository", default=())


@contextlib.contextmanager
def same_repository(tree: Path, clone: Path) -> Iterator[None]:
    """Inside the block, `tree` (the clone's files at another ref) is the clone itself."""
    token = _SAME_AS.set((*_SAME_AS.get(), (tree.resolve(), clone.resolve())))
    try:
        yield
    finally:
        _SAME_AS.reset(token)


def identity_root(root: Path) -> Path:
    """The directory whose git remotes say what `root`'s repository is."""
    resolved = root.resolve()
    for tree, clone in reversed(_SAME_AS.get()):
        if resolved == tree or tree in resolved.parents:
            return clone / resolved.relative_to(tree)
    return resolved


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
