"""ApplicationSet generators, as the ApplicationSet controller expands them.

GENERATORS maps a generator's key in `spec.generators[]` to a function
`(spec, context, interpolate) -> list[Params]`. `expand` is Argo's Transform: every
generator key set on one entry yields (template, parameter sets); the entry's own
`template` is merged over the ApplicationSet's (its set fields win); `selector`
filters the flattened parameters; inside a matrix, the second generator is first
rendered with each parameter set of the first. What cannot be expanded offline
raises Unexpandable with the reason (the caller reports GG104).

Parameters follow the controller for both template dialects: flat `path.basename`
keys for fasttemplate, nested `{"path": {"basename": ...}}` with `goTemplate`.
"""
from __future__ import annotations

import json
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from gitops_guard.errors import GuardError
from gitops_guard.load.yaml_budget import safe_load_bounded
from gitops_guard.render.argo import gotemplate, template
from gitops_guard.render.argo.functions import go_string, sanitize_name
from gitops_guard.render.argo.globs import path_match, pathspec_match
from gitops_guard.render.argo.selector import matches
from gitops_guard.render.sources import as_dict

Params = dict[str, Any]
IN_CLUSTER = {"name": "in-cluster", "server": "https://kubernetes.default.svc"}
REMOTE_ONLY = {
    "scmProvider": "lists repositories through an SCM provider's API",
    "pullRequest": "lists open pull requests through an SCM provider's API",
    "clusterDecisionResource": "reads a duck-typed resource from the cluster",
    "plugin": "calls a generator plugin service",
}


class Unexpandable(GuardError):
    """A generator that cannot be expanded offline; the message says why."""


@dataclass(frozen=True)
class Context:
    root: Path
    go: bool
    options: tuple[str, ...]
    clusters: tuple[dict[str, Any], ...]  # name, server, labels, annotations, project
    clusters_declared: bool  # False: only in-cluster is known (config argocd.clusters unset)
    this_repo: Callable[[str], bool]
    files: Callable[[], list[str]]  # every repo-relative file, sorted (git generator)


Generator = Callable[[dict[str, Any], Context], list[Params]]


# -- values and interpolation ----------------------------------------------------------------
def _values(spec: dict[str, Any], params: Params, ctx: Context) -> Params:
    """`values:` rendered with the parameters, added as `values.key` / `values: {key}`."""
    raw = as_dict(spec.get("values"))
    rendered = {str(k): _replace(str(v), params, ctx) for k, v in raw.items()}
    if not rendered:
        return params
    if ctx.go:
        return {**params, "values": rendered}
    return {**params, **{f"values.{k}": v for k, v in rendered.items()}}


def _replace(text: str, params: Params, ctx: Context, options: tuple[str, ...] | None = None
             ) -> str:
    try:
        return template.replace(text, params, ctx.go, ctx.options if options is None
                                else options)
    except gotemplate.TemplateError as exc:
        raise Unexpandable(f"template {text!r}: {exc}") from None


def interpolate(spec: dict[str, Any], params: Params, ctx: Context) -> dict[str, Any]:
    """A nested generator rendered with another generator's parameters (matrix)."""
    def walk(value: Any, key: str = "") -> Any:
        if isinstance(value, str):
            return _replace(value, params, ctx)
        if isinstance(value, dict) and key == "values" and ctx.go:
            out = {}
            for k, v in value.items():  # pre-resolved; a missing key stays for later
                try:
                    out[k] = template.replace(str(v), params, True, ("missingkey=error",))
                except gotemplate.TemplateError:
                    out[k] = v
            return out
        if isinstance(value, dict):
            return {_replace(str(k), params, ctx): walk(v, str(k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value
    result = walk(spec)
    return result if isinstance(result, dict) else {}


# -- list --------------------------------------------------------------------------------------
def list_elements(spec: dict[str, Any], ctx: Context) -> list[Params]:
    out: list[Params] = []
    for element in spec.get("elements") or ():
        if not isinstance(element, dict):
            raise Unexpandable("list generator: an element is not a mapping")
        if ctx.go:
            out.append(dict(element))
            continue
        params: Params = {}
        for key, value in element.items():
            if key == "values" and isinstance(value, dict):
                params.update({f"values.{k}": _string(v, key) for k, v in value.items()})
            else:
                params[str(key)] = _string(value, str(key))
        out.append(params)
    if spec.get("elementsYaml"):
        loaded = safe_load_bounded(str(spec["elementsYaml"]))
        if not isinstance(loaded, list):
            raise Unexpandable("list generator: elementsYaml is not a list")
        out.extend(e for e in loaded if isinstance(e, dict))
    return out


def _string(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise Unexpandable(f"list generator: element key {key!r} is not a string (only "
                           "goTemplate takes other values)")
    return value


# -- git ---------------------------------------------------------------------------------------
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
        return [_values(spec, _path_params(d, ctx, prefix), ctx) for d in found]
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
            base = dict(obj) if ctx.go else {k: go_string(v) for k, v in _flatten(obj).items()}
            params = {**base, **_path_params(posixpath.dirname(path) or ".", ctx, prefix,
                                             posixpath.basename(path))}
            out.append(_values(spec, params, ctx))
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


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """jeremywohl/flatten DotStyle: nested maps and lists as `a.b`, `a.0` keys."""
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(value, list) and value:
        out = {}
        for i, v in enumerate(value):
            out.update(_flatten(v, f"{prefix}.{i}" if prefix else str(i)))
        return out
    return {prefix: value} if prefix else {}


def flatten(params: Params) -> dict[str, str]:
    """Parameters as the selector sees them: flattened, values printed with %v."""
    return {k: go_string(v) for k, v in _flatten(params).items()}


# -- clusters ----------------------------------------------------------------------------------
def clusters(spec: dict[str, Any], ctx: Context) -> list[Params]:
    selector = as_dict(spec.get("selector"))
    declared = [c for c in ctx.clusters
                if matches(selector, {**as_dict(c.get("labels")),
                                      "argocd.argoproj.io/secret-type": "cluster"})]
    out = [_values(spec, _cluster_params(c, ctx), ctx) for c in declared]
    selects = bool(selector.get("matchLabels") or selector.get("matchExpressions"))
    has_local = any(str(c.get("server")) == IN_CLUSTER["server"] for c in ctx.clusters)
    if not selects and not has_local:
        local = {"name": "in-cluster", "nameNormalized": "in-cluster",
                 "server": IN_CLUSTER["server"], "project": ""}
        out.append(_values(spec, local, ctx))
    if spec.get("flatList"):
        return [{"clusters": out}]
    return out


def _cluster_params(cluster: dict[str, Any], ctx: Context) -> Params:
    name = str(cluster.get("name", ""))
    params: Params = {"name": name, "nameNormalized": sanitize_name(name),
                      "server": str(cluster.get("server", "")),
                      "project": str(cluster.get("project", "") or "")}
    labels = {str(k): str(v) for k, v in as_dict(cluster.get("labels")).items()}
    labels["argocd.argoproj.io/secret-type"] = "cluster"
    annotations = {str(k): str(v) for k, v in as_dict(cluster.get("annotations")).items()}
    if ctx.go:
        meta: Params = {"labels": labels}
        if annotations:
            meta["annotations"] = annotations
        params["metadata"] = meta
    else:
        params.update({f"metadata.labels.{k}": v for k, v in labels.items()})
        params.update({f"metadata.annotations.{k}": v for k, v in annotations.items()})
    return params


# -- matrix and merge --------------------------------------------------------------------------
def _nested(raw: Any) -> dict[str, Any]:
    """A nested generator; a nested matrix/merge may be given as JSON (Argo's CRD form)."""
    return as_dict(raw)


def _child_params(gen: dict[str, Any], ctx: Context, params: Params | None) -> list[Params]:
    results = expand(gen, {}, ctx, params)
    if not results:
        raise Unexpandable("a child generator generated no parameters")
    if len(results) > 1:
        raise Unexpandable("a child generator sets more than one generator")
    return results[0][1]


def matrix(spec: dict[str, Any], ctx: Context) -> list[Params]:
    gens = [_nested(g) for g in spec.get("generators") or ()]
    if len(gens) != 2:
        raise Unexpandable(f"matrix generator needs exactly 2 generators, has {len(gens)}")
    out: list[Params] = []
    for first in _child_params(gens[0], ctx, None):
        for second in _child_params(gens[1], ctx, first):
            if ctx.go:
                out.append(_deep_merge(second, first))
                continue
            a, b = ({k: go_string(v) for k, v in p.items()} for p in (first, second))
            clash = next((k for k in b if k in a and a[k] != b[k]), None)
            if clash is not None:
                raise Unexpandable(f"matrix generator: duplicate key {clash} with different "
                                   f"values ({a[clash]!r}, {b[clash]!r})")
            out.append({**a, **b})
    return out


def merge(spec: dict[str, Any], ctx: Context) -> list[Params]:
    keys = [str(k) for k in spec.get("mergeKeys") or ()]
    if not keys:
        raise Unexpandable("merge generator has no mergeKeys")
    gens = [_nested(g) for g in spec.get("generators") or ()]
    if len(gens) < 2:
        raise Unexpandable("merge generator needs at least 2 generators")
    sets = [_child_params(g, ctx, None) for g in gens]
    base = _by_key(keys, sets[0])
    for other in sets[1:]:
        overrides = _by_key(keys, other)
        for key, params in base.items():
            if key in overrides:
                base[key] = _deep_merge(params, overrides[key]) if ctx.go else {
                    **params, **overrides[key]}
    return list(base.values())


def _by_key(keys: list[str], sets: list[Params]) -> dict[str, Params]:
    out: dict[str, Params] = {}
    for params in sets:
        key = json.dumps({k: params.get(k) for k in sorted(set(keys))}, sort_keys=True,
                         default=str)
        if key in out:
            raise Unexpandable(f"merge generator: parameter sets are not unique by mergeKeys "
                               f"(duplicate {key})")
        out[key] = params
    return out


def _deep_merge(base: Params, override: Params) -> Params:
    """mergo.Merge(&base, override, WithOverride): maps merge, other values replace."""
    out = dict(base)
    for k, v in override.items():
        out[k] = _deep_merge(out[k], v) if isinstance(out.get(k), dict) and isinstance(
            v, dict) else v
    return out


def merge_missing(dest: Any, src: Any) -> Any:
    """mergo.Merge(&dest, src): fields dest leaves empty are taken from src."""
    if isinstance(dest, dict) and isinstance(src, dict):
        out = dict(dest)
        for k, v in src.items():
            out[k] = merge_missing(out[k], v) if k in out and out[k] not in (None, "", [], {}) \
                else v
        return out
    return dest if dest not in (None, "", [], {}) else src


GENERATORS: dict[str, Generator] = {
    "list": list_elements,
    "git": git,
    "clusters": clusters,
    "matrix": matrix,
    "merge": merge,
}


def expand(entry: dict[str, Any], base_template: dict[str, Any], ctx: Context,
           params: Params | None = None) -> list[tuple[dict[str, Any], list[Params]]]:
    """(template, parameter sets) per generator key set on `entry` (Argo's Transform)."""
    out: list[tuple[dict[str, Any], list[Params]]] = []
    for key, raw in entry.items():
        if key in ("selector", "template") or raw is None:
            continue
        if key in REMOTE_ONLY:
            raise Unexpandable(f"{key} generator {REMOTE_ONLY[key]}: not available offline")
        generate = GENERATORS.get(key)
        if generate is None:
            raise Unexpandable(f"unknown generator {key!r}")
        spec = as_dict(raw)
        if params:
            spec = interpolate(spec, params, ctx)
        own = as_dict(spec.get("template"))
        chosen = [p for p in generate(spec, ctx) if matches(as_dict(entry.get("selector")),
                                                            flatten(p))]
        out.append((merge_missing(own, base_template) if own else base_template, chosen))
    return out
