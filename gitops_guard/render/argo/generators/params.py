"""What every ApplicationSet generator shares: the parameter sets it yields, the Context it
reads, Unexpandable, `values:` and interpolation with the template dialect, and flattening
(jeremywohl/flatten DotStyle) as the selector and the git files generator see it."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gitops_guard.errors import GuardError
from gitops_guard.render.argo import gotemplate, template
from gitops_guard.render.argo.functions import go_string
from gitops_guard.render.sources import as_dict

Params = dict[str, Any]


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

# (entry, base template, context, parameters) -> (template, parameter sets) per generator key
Expand = Callable[[dict[str, Any], dict[str, Any], Context, Params | None],
                  list[tuple[dict[str, Any], list[Params]]]]


def add_values(spec: dict[str, Any], params: Params, ctx: Context) -> Params:
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


def flatten_value(value: Any, prefix: str = "") -> dict[str, Any]:
    """jeremywohl/flatten DotStyle: nested maps and lists as `a.b`, `a.0` keys."""
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(flatten_value(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(value, list) and value:
        out = {}
        for i, v in enumerate(value):
            out.update(flatten_value(v, f"{prefix}.{i}" if prefix else str(i)))
        return out
    return {prefix: value} if prefix else {}


def flatten(params: Params) -> dict[str, str]:
    """Parameters as the selector sees them: flattened, values printed with %v."""
    return {k: go_string(v) for k, v in flatten_value(params).items()}
