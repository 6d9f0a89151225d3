"""On-disk render cache keyed by a content hash of every input; safe under concurrent runs.

Key = renderer version + the repo's path + environment settings + tool identities + the content of
every file the environment's graph reaches (graph.py) + the `.sourceignore` files above
them (they filter Flux sources) + the repo's remote URLs (they decide what "this
repository" is; not the rest of `.git/config`, where `actions/checkout` writes each job's
own token, so shards and runs restoring one cache share its entries) + what the remote
chart cache holds (a `charts pull` makes the next
render see the charts it fetched). Entries are written to a temp file
and `os.replace`d, so a reader sees a whole entry or none; an entry that does not parse
is a miss (rendered again). A run killed mid-write leaves only `.<key>.<pid>.*.tmp`,
which the next store removes. Renders that timed out are never stored.

The cache lives outside the work tree (`$GITOPS_GUARD_RENDER_CACHE`, else
`$XDG_CACHE_HOME/gitops-guard/render`): a cache dir committed in a PR is never read, and
the cache never shows up as a changed file. Entries are 0600 in a 0700 dir; a dir that is
not ours, is group- or world-writable or lies inside the repository (an XDG_CACHE_HOME in
the workspace) is not used (rendered, not cached).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from gitops_guard.model import Finding, Location, Severity
from gitops_guard.private_dirs import refusal
from gitops_guard.render.charts.cache import state_digest as chart_cache_state
from gitops_guard.render.graph import Graph
from gitops_guard.render.model import Environment
from gitops_guard.render.repo import repo_urls
from gitops_guard.render.sources import Rendered
from gitops_guard.render.tools import helm_python_identity, tool_identity
from gitops_guard.scratch import pid_alive

CACHE_VERSION = "gitops-guard-render-7"  # bump when a render of the same inputs changes
DISABLE_ENV = "GITOPS_GUARD_NO_CACHE"
DIR_ENV = "GITOPS_GUARD_RENDER_CACHE"


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def cache_key(env: Environment, graph: Graph, root: Path, load_restrictor: str) -> str:
    h = hashlib.sha256()

    def feed(*parts: str) -> None:
        for part in parts:
            h.update(part.encode())
            h.update(b"\0")

    feed(CACHE_VERSION, str(root), env.name, env.path, env.kind, env.namespace or "",
         load_restrictor,
         json.dumps(list(env.values)), json.dumps(env.set_values, sort_keys=True, default=str),
         json.dumps(env.argocd_clusters, sort_keys=True, default=str),
         json.dumps(dataclasses.asdict(env.load_limits), sort_keys=True))
    feed(tool_identity("kustomize"), tool_identity("kubectl"), tool_identity("helm"),
         helm_python_identity(), *sorted(repo_urls(root)))
    for rel in sorted(graph.files):
        feed("f", rel, _file_digest(root / rel))
    for tree in sorted(graph.trees):
        base = root / tree
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                file = Path(dirpath, name)
                feed("t", file.relative_to(root).as_posix(), _file_digest(file))
    for rel in _ignore_files(graph, root):
        feed("i", rel, _file_digest(root / rel))
    for url in sorted(graph.remote):
        feed("r", url)
    if env.charts is not None:  # what an offline render can read from the chart cache
        feed("c", str(env.charts.cache_dir), env.charts.refused or
             chart_cache_state(env.charts.cache_dir))
    return h.hexdigest()


def _ignore_files(graph: Graph, root: Path) -> list[str]:
    """`.sourceignore` files above what the graph reads: each filters a Flux source below
    it (render/flux/sourceignore.py), so each is an input."""
    folders = {"."}
    for rel in {*graph.files, *graph.trees}:
        parts = Path(rel).parts
        folders.update(Path(*parts[:depth]).as_posix() for depth in range(1, len(parts)))
    return sorted(f"{folder}/.sourceignore".removeprefix("./") for folder in folders
                  if (root / folder / ".sourceignore").is_file())


def _finding_json(f: Finding) -> dict[str, Any]:
    return {"rule_id": f.rule_id, "severity": int(f.severity), "message": f.message,
            "location": list(f.location), "source": f.source, "env": f.env}


def _finding(raw: dict[str, Any]) -> Finding:
    return Finding(raw["rule_id"], Severity(raw["severity"]), raw["message"],
                   Location(*raw["location"]), source=raw["source"], env=raw["env"])


def cache_dir() -> Path:
    """`$GITOPS_GUARD_RENDER_CACHE`, else `$XDG_CACHE_HOME/gitops-guard/render`."""
    explicit = os.environ.get(DIR_ENV)
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gitops-guard" / "render"


def private_dir(folder: Path, root: Path | None = None) -> bool:
    """True when `folder` is a dir of ours that nobody else can write to, outside the
    repository at `root` (private_dirs.refusal)."""
    return folder.is_dir() and refusal(folder, root) is None


def load(key: str, root: Path | None = None
         ) -> tuple[list[Rendered], list[Finding], list[str], list[str]] | None:
    """(items, findings, skipped, failed) of a render stored under `key`, or None."""
    folder = cache_dir()
    if os.environ.get(DISABLE_ENV) or not private_dir(folder, root):
        return None
    try:
        raw = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        return ([Rendered.from_json(r) for r in raw["items"]],
                [_finding(f) for f in raw["findings"]], list(raw["skipped"]),
                [str(f) for f in raw["failed"]])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # absent or unreadable: render again


def _sweep_partial(folder: Path) -> None:
    """Half-written entries of runs that were killed (SIGKILL) before `os.replace`."""
    for tmp in folder.glob(".*.tmp"):
        parts = tmp.name.split(".")
        if len(parts) >= 4 and parts[2].isdigit() and not pid_alive(int(parts[2])):
            tmp.unlink(missing_ok=True)


def store(key: str, items: list[Rendered], findings: list[Finding],
          skipped: list[str], root: Path | None = None, failed: list[str] | None = None
          ) -> None:
    if os.environ.get(DISABLE_ENV):
        return
    folder = cache_dir()
    try:
        if refusal(folder, root) is not None:
            return  # inside the repository: never created there
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not private_dir(folder, root):
            return  # shared or not ours: a planted entry could change a verdict
        payload = json.dumps({"items": [i.to_json() for i in items],
                              "findings": [_finding_json(f) for f in findings],
                              "skipped": skipped, "failed": failed or []})
        _sweep_partial(folder)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{key}.{os.getpid()}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(payload)
            os.replace(tmp, folder / f"{key}.json")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return  # a read-only checkout still renders, just without a cache
