"""Flux `postBuild` variable substitution, per resource, as kustomize-controller runs it.

Like the controller it works on each built resource's YAML text (so `replicas: ${N}`
becomes a number) with envsubst.py; skips resources labelled or annotated
`kustomize.toolkit.fluxcd.io/substitute: disabled`; substitutes only when there is at
least one variable, or `substituteStrategy: Always`; strips newlines from values; and
refuses variable names that are not shell identifiers (the controller fails the build).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from gitops_guard.load.base import LoadLimits
from gitops_guard.load.yaml import load_yaml
from gitops_guard.render.flux.envsubst import envsubst
from gitops_guard.render.flux.envsubst_parse import SubstitutionError
from gitops_guard.render.sources import as_dict

DISABLE_KEY = "kustomize.toolkit.fluxcd.io/substitute"
DISABLED = "disabled"
_NAME = re.compile(r"^[_a-zA-Z][_a-zA-Z0-9]*$")


class _Dumper(yaml.SafeDumper):
    """Multi-line strings as literal blocks, as kustomize writes them (not escaped)."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value,
                                   style="|" if "\n" in value else None)


_Dumper.add_representer(str, _str)


def clean_value(value: Any) -> str:
    """A variable's value as the controller uses it: a string with its newlines removed."""
    return str(value).replace("\n", "")


def check_names(variables: Mapping[str, str]) -> None:
    for name in variables:
        if not _NAME.match(name):
            raise SubstitutionError(f"'{name}' var name is invalid, must match "
                                    f"'{_NAME.pattern}'")


def disabled(data: dict[str, Any]) -> bool:
    meta = as_dict(data.get("metadata"))
    return as_dict(meta.get("labels")).get(DISABLE_KEY) == DISABLED or \
        as_dict(meta.get("annotations")).get(DISABLE_KEY) == DISABLED


def substitute(data: Any, variables: Mapping[str, str]) -> Any:
    """`data` with its variables substituted (raises SubstitutionError where Flux fails)."""
    if not isinstance(data, dict) or disabled(data):
        return data
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1 << 30)
    if "$" not in text:
        return data
    result = load_yaml(envsubst(text, variables).encode(), "<substituted>", LoadLimits())
    if result.findings or not result.documents:
        raise SubstitutionError("the substituted resource is not valid YAML")
    return result.documents[0].data
