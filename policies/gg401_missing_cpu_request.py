"""GG401: every container should declare its cpu request."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule


@rule(
    id="GG401",
    severity="warning",
    title="Missing CPU request",
    why="Without a cpu request the scheduler treats the container as needing no CPU, packs nodes "
        "too tightly, and under contention it is the first to be starved.",
    fix="Set `resources.requests.cpu` on every container, sized from observed usage.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="resources:\n  requests: {cpu: 100m, memory: 128Mi}\n  limits: {memory: 256Mi}",
    doc_url="https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
)
def missing_cpu_request(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    # Kubernetes defaults a missing request to the limit, so a limit alone is enough.
    for name, path in ctx.containers_without(resource, "cpu", ("requests", "limits")):
        yield Violation(f'container "{name}" has no cpu request', path)
