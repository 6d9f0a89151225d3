"""The list generator: a parameter set per entry of `elements` (strings only, unless
goTemplate) and of `elementsYaml`."""
from __future__ import annotations

from typing import Any

from gitops_guard.load.yaml_budget import safe_load_bounded
from gitops_guard.render.argo.generators.params import Context, Params, Unexpandable


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
