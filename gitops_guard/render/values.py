"""Helm values written inline in a GitOps object rather than in a values file.

YAML text (Flux `valuesFrom` ConfigMaps, Argo CD `helm.values`) and Argo CD
`helm.parameters`, which Argo CD passes to Helm as `--set name=value`.
"""
from __future__ import annotations

from typing import Any

from gitops_guard.model import Finding


def yaml_values(text: str) -> tuple[dict[str, Any], list[Finding]]:
    """The mapping `text` holds ({} when it holds something else), and the load findings."""
    from gitops_guard.load.base import LoadLimits
    from gitops_guard.load.yaml import load_yaml

    result = load_yaml(text.encode(), "<values>", LoadLimits())
    data = result.documents[0].data if result.documents else {}
    return (data if isinstance(data, dict) else {}), result.findings


def _typed(value: str) -> Any:
    """Helm strvals typing: true/false, null, and integers not written with a leading 0."""
    if value in ("true", "false"):
        return value == "true"
    if value == "null":
        return None
    digits = value[1:] if value.startswith("-") else value
    if digits.isdigit() and not value.startswith("0"):
        return int(value)
    return value


def _name_path(name: str) -> list[str | int]:
    """`a.b\\.c[0].d` -> ["a", "b.c", 0, "d"] (Helm's --set key syntax)."""
    out: list[str | int] = []
    part, i = "", 0
    while i < len(name):
        c = name[i]
        if c == "\\" and i + 1 < len(name):
            part += name[i + 1]
            i += 2
            continue
        if c == ".":
            if part:
                out.append(part)
            part = ""
        elif c == "[" and "]" in name[i:]:
            if part:
                out.append(part)
            part = ""
            close = name.index("]", i)
            index = name[i + 1:close]
            out.append(int(index) if index.isdigit() else index)
            i = close
        else:
            part += c
        i += 1
    if part:
        out.append(part)
    return out


def set_value(name: str, value: str, force_string: bool) -> dict[str, Any]:
    """One `--set name=value` (`--set-string` with `force_string`), as Helm's strvals
    parses it: dotted keys with `\\.` escapes, `[N]` list indexes, `{a,b}` lists, and
    values typed as Helm types them."""
    typed: Any
    if value.startswith("{") and value.endswith("}"):
        items = [v for v in value[1:-1].split(",")] if value != "{}" else []
        typed = items if force_string else [_typed(v) for v in items]
    else:
        typed = value if force_string else _typed(value)
    path = _name_path(name) or [name]
    root: dict[str, Any] = {}
    here: Any = root
    for step, nxt in zip(path, [*path[1:], None], strict=True):
        child: Any = typed if nxt is None else ([] if isinstance(nxt, int) else {})
        if isinstance(step, int) and isinstance(here, list):
            while len(here) <= step:
                here.append(None)
            here[step] = child
        elif isinstance(here, dict):
            here[str(step)] = child
        here = child
    return root
