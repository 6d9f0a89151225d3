"""The git generator: a parameter set per directory (`directories`) or per object in the
files (`files`) of this repository, with the `path` parameters the controller sets."""
from __future__ import annotations

import posixpath
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from gitops_guard.load.yaml_budget import safe_load_bounded
from gitops_guard.render.argo.functions import go_string, sanitize_name
from gitops_guard.render.argo.generators.params import (
    Context,
    Params,
    Unexpandable,
    add_values,
    flatten_value,
)
from gitops_guard.render.argo.globs import path_match, pathspec_match


def _path_params(directory: str, ctx: Context, prefix: str, filename: str | None = None
                 ) -> Params:
    base = posixpath.basename(directory)
    if ctx.go:
        nested: Params = {"path": directory, "basename": base,
                          "basenameNormalized": sanitize_name(base),
                          "segments": directory.split("/")}
        if filename is not None:
            nested.update(filename=filename, filenameNormalized=sanitize_name(filename))
        return {prefix: {"path": nested}} if prefix else {"path": nested}
    name = f"{prefix}.path" if prefix else "path"
    flat: Params = {name: directory, f"{name}.basename": base,
                    f"{name}.basenameNormalized": sanitize_name(base)}
    if filename is not None:
        flat.update({f"{name}.filename": filename,
                     f"{name}.filenameNormalized": sanitize_name(filename)})
    flat.update({f"{name}[{i}]": part for i, part in enumerate(directory.split("/")) if part})
    return flat


def _directories(root: Path) -> Iterator[str]:
    """Every directory but the root and hidden ones, in filepath.WalkDir order."""
    def walk(folder: Path, rel: str) -> Iterator[str]:
        for child in sorted(folder.iterdir(), key=lambda p: p.name):
            if child.is_dir() and not child.is_symlink() and not child.name.startswith("."):
                sub = f"{rel}/{child.name}" if rel else child.name
                yield sub
                yield from walk(child, sub)
    yield from walk(root, "")


def git(spec: dict[str, Any], ctx: Context) -> list[Params]:
    url = str(spec.get("repoURL", ""))
    if not ctx.this_repo(url):
        raise Unexpandable(f"git generator reads {url or 'no repoURL'}, not this repository")
    prefix = str(spec.get("pathParamPrefix") or "")
    items = [d for d in spec.get("directories") or () if isinstance(d, dict)]
    if items:
        found = [d for d in _directories(ctx.root)
                 if any(path_match(str(i.get("path", "")), d) and not i.get("exclude")
                        for i in items)
                 and not any(path_match(str(i.get("path", "")), d) and i.get("exclude")
                             for i in items)]
        return [add_values(spec, _path_params(d, ctx, prefix), ctx) for d in found]
    files = [f for f in spec.get("files") or () if isinstance(f, dict)]
    if not files:
        raise Unexpandable("git generator has neither directories nor files")
    chosen = sorted(
        path for path in ctx.files()
        if any(pathspec_match(str(f.get("path", "")), path) for f in files if not f.get("exclude"))
        and not any(pathspec_match(str(f.get("path", "")), path) for f in files
                    if f.get("exclude")))
    out: list[Params] = []
    for path in chosen:
        for obj in _file_objects(ctx.root / path, path):
            base = dict(obj) if ctx.go else {k: go_string(v) for k, v in flatten_value(obj).items()}
            params = {**base, **_path_params(posixpath.dirname(path) or ".", ctx, prefix,
                                             posixpath.basename(path))}
            out.append(add_values(spec, params, ctx))
    return out


def _file_objects(file: Path, shown: str) -> list[dict[str, Any]]:
    try:
        # like sigs.k8s.io/yaml: the first document only
        loaded = safe_load_bounded(file.read_text(encoding="utf-8"), first=True)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise Unexpandable(f"git files generator: cannot parse {shown}: {exc}") from None
    if isinstance(loaded, dict):
        return [loaded]
    if isinstance(loaded, list) and all(isinstance(o, dict) for o in loaded):
        return loaded
    raise Unexpandable(f"git files generator: {shown} holds neither an object nor a list of "
                       "objects")
