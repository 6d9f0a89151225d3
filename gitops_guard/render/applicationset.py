"""Argo CD ApplicationSet: the list and git-directory generators, applied to the template.

Both template dialects: fasttemplate `{{path.basename}}` and goTemplate `{{ .path.basename }}`
(plain field references only). Other generators are reported as not rendered.
"""
from __future__ import annotations

import copy
import fnmatch
import re
from pathlib import Path
from typing import Any

from gitops_guard.render.repo import is_this_repo
from gitops_guard.render.sources import as_dict

_FIELD = re.compile(r"\{\{\s*\.?([\w.\[\]-]+)\s*\}\}")


def _params_for_dir(path: str) -> dict[str, Any]:
    parts = path.split("/")
    base = parts[-1]
    params: dict[str, Any] = {
        "path": path, "path.path": path, "path.basename": base,
        "path.filename": base, "path.basenameNormalized": re.sub(r"[^a-z0-9-]", "-", base.lower()),
    }
    for i, part in enumerate(parts):
        params[f"path[{i}]"] = part
    params["path.segments"] = parts
    return params


def _lookup(params: dict[str, Any], key: str) -> Any:
    if key in params:
        return params[key]
    here: Any = params
    for part in key.split("."):
        if isinstance(here, dict) and part in here:
            here = here[part]
        else:
            return None
    return here


def _fill(value: Any, params: dict[str, Any]) -> Any:
    if isinstance(value, str):
        def repl(match: re.Match[str]) -> str:
            found = _lookup(params, match.group(1))
            return match.group(0) if found is None else str(found)
        return _FIELD.sub(repl, value)
    if isinstance(value, dict):
        return {_fill(k, params): _fill(v, params) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, params) for v in value]
    return value


def _git_directories(gen: dict[str, Any], root: Path) -> list[dict[str, Any]] | str:
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


def generate(appset: dict[str, Any], root: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """(Applications the generators produce, reasons for what was not rendered)."""
    spec = as_dict(appset.get("spec"))
    template = as_dict(spec.get("template"))
    apps: list[dict[str, Any]] = []
    unsupported: list[str] = []
    for gen in spec.get("generators") or ():
        if not isinstance(gen, dict):
            continue
        params_list: list[dict[str, Any]] = []
        if isinstance(gen.get("list"), dict):
            params_list = [e for e in gen["list"].get("elements") or () if isinstance(e, dict)]
        elif isinstance(gen.get("git"), dict) and gen["git"].get("directories"):
            result = _git_directories(gen["git"], root)
            if isinstance(result, str):
                unsupported.append(result)
                continue
            params_list = result
        else:
            unsupported.append(f"generator {', '.join(sorted(gen)) or '?'} is not supported")
            continue
        apps.extend(_fill(copy.deepcopy(template), params) for params in params_list)
    return apps, unsupported
