"""Argo CD `ApplicationSet`: the generators (generators.py) applied to the template.

Both template dialects: fasttemplate `{{path.basename}}` and goTemplate `{{ .path.basename }}`
(plain field references only). Each generated Application is rendered like one in the
repo; generators that cannot be expanded are reported as not rendered.
"""
from __future__ import annotations

import copy
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gitops_guard.render.argo.application import render_app
from gitops_guard.render.argo.generators import GENERATORS, Params
from gitops_guard.render.resolve import Resolver
from gitops_guard.render.sources import Rendered, as_dict

GROUP_KIND = ("argoproj.io", "ApplicationSet")
_FIELD = re.compile(r"\{\{\s*\.?([\w.\[\]-]+)\s*\}\}")


def paths(doc: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Template source paths without parameters, and the git directory generators' roots."""
    spec = as_dict(doc.get("spec"))
    tspec = as_dict(as_dict(spec.get("template")).get("spec"))
    for source in [tspec.get("source"), *(tspec.get("sources") or ())]:
        if isinstance(source, dict) and isinstance(source.get("path"), str) and (
                "{{" not in source["path"]):
            yield _clean(source["path"]), ""
    for gen in spec.get("generators") or ():
        for d in as_dict(as_dict(gen).get("git")).get("directories") or ():
            if isinstance(d, dict) and isinstance(d.get("path"), str):
                yield _clean(d["path"].split("*")[0] or "."), "plain"


def _clean(path: str) -> str:
    return posixpath.normpath(path.lstrip("/")) or "."


def render(resolver: Resolver, item: Rendered, depth: int) -> None:
    apps, unsupported = generate(item.data, resolver.root)
    for reason in unsupported:
        resolver.skip(item, reason)
    for app in apps:
        render_app(resolver, item, app, depth)


def _lookup(params: Params, key: str) -> Any:
    if key in params:
        return params[key]
    here: Any = params
    for part in key.split("."):
        if isinstance(here, dict) and part in here:
            here = here[part]
        else:
            return None
    return here


def _fill(value: Any, params: Params) -> Any:
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


def generate(appset: dict[str, Any], root: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """(Applications the generators produce, reasons for what was not rendered)."""
    spec = as_dict(appset.get("spec"))
    template = as_dict(spec.get("template"))
    apps: list[dict[str, Any]] = []
    unsupported: list[str] = []
    for gen in spec.get("generators") or ():
        if not isinstance(gen, dict):
            continue
        key = next((k for k in GENERATORS if isinstance(gen.get(k), dict)), None)
        result = GENERATORS[key](gen[key], root) if key else None
        if result is None:
            unsupported.append(f"generator {', '.join(sorted(gen)) or '?'} is not supported")
            continue
        if isinstance(result, str):
            unsupported.append(result)
            continue
        apps.extend(_fill(copy.deepcopy(template), params) for params in result)
    return apps, unsupported
