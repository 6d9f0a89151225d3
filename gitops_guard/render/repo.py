"""Is a GitOps source this repository? Decided from the repo's own git remotes.

Rule (documented in the README):
- Argo CD: `repoURL` equals (after normalizing scheme, user, `.git`, case of host)
  the URL of one of the repository's git remotes.
- Flux: a `GitRepository` source named `flux-system` (what `flux bootstrap` creates
  for the repo it is run against), or one whose `spec.url` equals a remote's URL.
Anything else is remote: skipped with the reason, never rendered from the wrong tree.
"""
from __future__ import annotations

import re
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


@lru_cache(maxsize=16)
def repo_urls(root: Path) -> frozenset[str]:
    run = run_tool(["git", "-C", str(root), "remote", "-v"], timeout=10)
    if run.returncode != 0:
        return frozenset()
    return frozenset(normalize_url(line.split()[1]) for line in run.stdout.splitlines()
                     if len(line.split()) >= 2)


def is_this_repo(url: str, root: Path) -> bool:
    return bool(url) and normalize_url(url) in repo_urls(root)
