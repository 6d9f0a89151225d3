"""Terraform plan JSON (`terraform show -json PLANFILE`), as one document for policies.

A plan is recognised by its shape, not its name: a JSON object with string
`format_version` and `terraform_version` and at least one of the plan sections.
The whole plan is one Document of source_format "tfplan" (what conftest gives
policies as `input`: `input.resource_changes[_].change.actions`, ...). It has no
apiVersion/kind, so no Kubernetes schema ever applies to it. Positions are the
JSON file's own (lazy, only when a finding needs them).
"""
from __future__ import annotations

from typing import Any

from gitops_guard.model import Document, Positions

PLAN_SECTIONS = frozenset({
    "planned_values", "resource_changes", "prior_state", "configuration",
    "output_changes", "resource_drift", "relevant_attributes", "checks",
})


def is_terraform_plan(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("format_version"), str)
        and isinstance(value.get("terraform_version"), str)
        and not PLAN_SECTIONS.isdisjoint(value)
    )


def plan_document(value: dict[str, Any], positions: Positions, path: str) -> Document:
    return Document(path, 0, value, positions, 1, "tfplan")
