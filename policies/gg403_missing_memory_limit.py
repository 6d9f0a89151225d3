"""GG403: every container should declare its memory limit."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule


@rule(
    id="GG403",
    severity="warning",
    title="Missing memory limit",
    why="Without a memory limit one leaking container can consume the node's memory until the "
        "kernel OOM-kills its neighbours.",
    fix="Set `resources.limits.memory` on every container, sized from observed usage.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="resources:\n  requests: {cpu: 100m, memory: 128Mi}\n  limits: {memory: 256Mi}",
    doc_url="https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
)
def missing_memory_limit(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    for name, path in ctx.containers_without(resource, "memory", ("limits",)):
        yield Violation(f'container "{name}" has no memory limit', path)
