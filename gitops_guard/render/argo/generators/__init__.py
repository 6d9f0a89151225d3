"""ApplicationSet generators, as the ApplicationSet controller expands them.

GENERATORS maps a generator's key in `spec.generators[]` to a function
`(spec, context) -> list[Params]`, one module per generator family: elements (list), git,
clusters, combine (matrix and merge); params holds what they share. `expand` is Argo's
Transform: every generator key set on one entry yields (template, parameter sets); the
entry's own `template` is merged over the ApplicationSet's (its set fields win);
`selector` filters the flattened parameters; inside a matrix, the second generator is
first rendered with each parameter set of the first. What cannot be expanded offline
raises Unexpandable with the reason (the caller reports GG104).

Parameters follow the controller for both template dialects: flat `path.basename`
keys for fasttemplate, nested `{"path": {"basename": ...}}` with `goTemplate`.
"""
from __future__ import annotations

from functools import partial
from typing import Any

from gitops_guard.render.argo.generators import clusters, combine, elements, git
from gitops_guard.render.argo.generators.params import (
    Context,
    Generator,
    Params,
    Unexpandable,
    flatten,
    interpolate,
)
from gitops_guard.render.argo.selector import matches
from gitops_guard.render.sources import as_dict

REMOTE_ONLY = {
    "scmProvider": "lists repositories through an SCM provider's API",
    "pullRequest": "lists open pull requests through an SCM provider's API",
    "clusterDecisionResource": "reads a duck-typed resource from the cluster",
    "plugin": "calls a generator plugin service",
}


def merge_missing(dest: Any, src: Any) -> Any:
    """mergo.Merge(&dest, src): fields dest leaves empty are taken from src."""
    if isinstance(dest, dict) and isinstance(src, dict):
        out = dict(dest)
        for k, v in src.items():
            out[k] = merge_missing(out[k], v) if k in out and out[k] not in (None, "", [], {}) \
                else v
        return out
    return dest if dest not in (None, "", [], {}) else src



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



GENERATORS: dict[str, Generator] = {
    "list": elements.list_elements,
    "git": git.git,
    "clusters": clusters.clusters,
    "matrix": partial(combine.matrix, expand=expand),
    "merge": partial(combine.merge, expand=expand),
}
