"""GG405: containers that serve traffic should have a readiness probe."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import LONG_RUNNING, RuleContext, Violation, rule


@rule(
    id="GG405",
    severity="info",
    title="Missing readiness probe",
    why="Without a readiness probe a pod receives Service traffic as soon as its process starts, "
        "before it can answer, and rollouts proceed past pods that never become healthy.",
    fix="Add a `readinessProbe` on the serving port that succeeds only when the container "
        "can handle requests.",
    kinds=LONG_RUNNING,
    example="readinessProbe:\n  httpGet: {path: /ready, port: http}\n  periodSeconds: 5",
    doc_url="https://kubernetes.io/docs/tasks/configure-pod-container/"
            "configure-liveness-readiness-startup-probes/",
)
def missing_readiness(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    for path, container in ctx.containers(resource, init=False):
        # Only containers that declare ports serve traffic; queue workers need no readiness.
        if not container.get("ports") or isinstance(container.get("readinessProbe"), dict):
            continue
        yield Violation(f'container "{container.get("name", "?")}" exposes ports but has no '
                        "readiness probe", path)
