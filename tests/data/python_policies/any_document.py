"""ACME004: kinds=("*") also sees documents that are not Kubernetes objects."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation, rule


@rule(id="ACME004", severity="warning", title="Debug flag on", kinds=("*",))
def debug_on(resource: Any, ctx: RuleContext) -> Iterator[Violation]:
    if isinstance(resource, dict) and resource.get("debug") is True:
        yield Violation("debug is on", ("debug",))


@rule(id="ACME005", severity="warning", title="Debug flag on (Kubernetes only)")
def debug_on_kube(resource: Any, ctx: RuleContext) -> Iterator[str]:
    if resource.get("debug") is True:
        yield "debug is on"
