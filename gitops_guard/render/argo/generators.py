"""Argo CD ApplicationSet generators: each turns its spec into a list of parameter sets.

GENERATORS maps the generator's key in `spec.generators[]` to a function returning the
parameter sets, a reason string when it cannot be expanded here, or None when that
form of the generator is not supported.
"""
from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gitops_guard.render.repo import is_this_repo

Params = dict[str, Any]
Generator = Callable[[dict[str, Any], Path], "list[Params] | str | None"]


def list_elements(gen: dict[str, Any], root: Path) -> list[Params] | str | None:
    return [e for e in gen.get("elements") or () if isinstance(e, dict)]


def _params_for_dir(path: str) -> Params:
    parts = path.split("/")
    base = parts[-1]
    params: Params = {
        "path": path, "path.path": path, "path.basename": base,
        "path.filename": base, "path.basenameNormalized": re.sub(r"[^a-z0-9-]", "-", base.lower()),
    }
    for i, part in enumerate(parts):
        params[f"path[{i}]"] = part
    params["path.segments"] = parts
    return params


def git_directories(gen: dict[str, Any], root: Path) -> list[Params] | str | None:
    if not gen.get("directories"):
        return None  # the git files generator
    if not is_this_repo(str(gen.get("repoURL", "")), root):
        return f"git generator on {gen.get('repoURL')} (another repository)"
    include = [d["path"] for d in gen.get("directories") or () if isinstance(d, dict)
               and not d.get("exclude") and isinstance(d.get("path"), str)]
    exclude = [d["path"] for d in gen.get("directories") or () if isinstance(d, dict)
               and d.get("exclude") and isinstance(d.get("path"), str)]
    found: list[str] = []
    for folder in sorted(p for p in root.rglob("*") if p.is_dir() and ".git" not in p.parts):
        rel = folder.relative_to(root).as_posix()
        if any(fnmatch.fnmatchcase(rel, pat) for pat in include) and not any(
                fnmatch.fnmatchcase(rel, pat) for pat in exclude):
            found.append(rel)
    return [_params_for_dir(rel) for rel in found]


GENERATORS: dict[str, Generator] = {
    "list": list_elements,
    "git": git_directories,
}
