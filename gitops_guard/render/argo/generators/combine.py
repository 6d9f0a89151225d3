"""The generators that combine two or more others: matrix (every pair, the second rendered with
the first's parameters) and merge (by mergeKeys). Each child is expanded with `expand`, the
package's Transform, passed in so that this module does not import the registry."""
from __future__ import annotations

import json
from typing import Any

from gitops_guard.render.argo.functions import go_string
from gitops_guard.render.argo.generators.params import Context, Expand, Params, Unexpandable
from gitops_guard.render.sources import as_dict


def _nested(raw: Any) -> dict[str, Any]:
    """A nested generator; a nested matrix/merge may be given as JSON (Argo's CRD form)."""
    return as_dict(raw)


def _child_params(gen: dict[str, Any], ctx: Context, params: Params | None, expand: Expand
                  ) -> list[Params]:
    results = expand(gen, {}, ctx, params)
    if not results:
        raise Unexpandable("a child generator generated no parameters")
    if len(results) > 1:
        raise Unexpandable("a child generator sets more than one generator")
    return results[0][1]


def matrix(spec: dict[str, Any], ctx: Context, expand: Expand) -> list[Params]:
    gens = [_nested(g) for g in spec.get("generators") or ()]
    if len(gens) != 2:
        raise Unexpandable(f"matrix generator needs exactly 2 generators, has {len(gens)}")
    out: list[Params] = []
    for first in _child_params(gens[0], ctx, None, expand):
        for second in _child_params(gens[1], ctx, first, expand):
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


def merge(spec: dict[str, Any], ctx: Context, expand: Expand) -> list[Params]:
    keys = [str(k) for k in spec.get("mergeKeys") or ()]
    if not keys:
        raise Unexpandable("merge generator has no mergeKeys")
    gens = [_nested(g) for g in spec.get("generators") or ()]
    if len(gens) < 2:
        raise Unexpandable("merge generator needs at least 2 generators")
    sets = [_child_params(g, ctx, None, expand) for g in gens]
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
