"""GG402: every container should declare its memory request."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule


@rule(
    id="GG402",
    severity="warning",
    title="Missing memory request",
    why="Without a memory request the scheduler treats the container as needing no memory and "
        "overcommits the node; it is also among the first evicted under memory pressure.",
    fix="Set `resources.requests.memory` on every container, sized from observed usage.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="resources:\n  requests: {cpu: 100m, memory: 128Mi}\n  limits: {memory: 256Mi}",
    doc_url="https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
)
def missing_memory_request(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    # Kubernetes defaults a missing request to the limit, so a limit alone is enough.
    for name, path in ctx.containers_without(resource, "memory", ("requests", "limits")):
        yield Violation(f'container "{name}" has no memory request', path)
