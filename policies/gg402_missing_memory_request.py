"""GG402: every container should declare its memory request."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule


def _declared(resources: Mapping[str, Any], section: str) -> bool:
    values = resources.get(section)
    return isinstance(values, Mapping) and values.get("memory") not in (None, "")


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
    for path, container in ctx.containers(resource):
        if path[-2] == "ephemeralContainers":  # they cannot have resources
            continue
        resources = container.get("resources")
        if not isinstance(resources, Mapping):
            yield Violation(f'container "{container.get("name", "?")}" has no memory request',
                            path)
            continue
        # Kubernetes defaults a missing request to the limit, so a limit alone is enough.
        if _declared(resources, "requests") or _declared(resources, "limits"):
            continue
        where = ("resources", "requests") if isinstance(resources.get("requests"), Mapping) \
            else ("resources",)
        yield Violation(f'container "{container.get("name", "?")}" has no memory request',
                        (*path, *where))
