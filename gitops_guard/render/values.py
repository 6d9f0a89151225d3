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


def set_value(name: str, value: str, force_string: bool) -> dict[str, Any]:
    """One `--set name=value`: dotted keys; numbers and booleans typed as Helm does."""
    typed: Any = value
    if not force_string:
        if value in ("true", "false"):
            typed = value == "true"
        elif value.lstrip("-").isdigit():
            typed = int(value)
        elif value == "null":
            typed = None
    out: dict[str, Any] = {}
    here = out
    parts = name.split(".")
    for part in parts[:-1]:
        here = here.setdefault(part, {})
    here[parts[-1]] = typed
    return out
