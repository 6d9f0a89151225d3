"""Flux `postBuild` variable substitution: `${VAR}`, `${VAR:=default}`, `${VAR:-default}`.

Like kustomize-controller it works on each resource's YAML text (so `replicas: ${N}`
becomes a number), skips resources annotated
`kustomize.toolkit.fluxcd.io/substitute: disabled`, keeps `$${VAR}` as a literal
`${VAR}`, and replaces an undefined variable without a default by the empty string.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from gitops_guard.load.base import LoadLimits
from gitops_guard.load.yaml import load_yaml

DISABLE_ANNOTATION = "kustomize.toolkit.fluxcd.io/substitute"
_VAR = re.compile(r"\$(\$?)\{([_A-Za-z][_A-Za-z0-9]*)(?:(:?[-=])([^}]*))?\}")


def substitute_text(text: str, variables: Mapping[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        escaped, name, op, default = match.groups()
        if escaped:
            return match.group(0)[1:]
        if name in variables and (variables[name] != "" or not (op or "").startswith(":")):
            return variables[name]
        return default if op else ""

    return _VAR.sub(replace, text)


def substitute(data: Any, variables: Mapping[str, str]) -> Any:
    if not isinstance(data, dict):
        return data
    meta = data.get("metadata")
    annotations = meta.get("annotations") if isinstance(meta, dict) else None
    if isinstance(annotations, dict) and annotations.get(DISABLE_ANNOTATION) == "disabled":
        return data
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1 << 30)
    if "${" not in text:
        return data
    docs = load_yaml(substitute_text(text, variables).encode(), "<substituted>",
                     LoadLimits()).documents
    return docs[0].data if docs else data
