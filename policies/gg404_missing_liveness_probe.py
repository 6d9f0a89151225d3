"""GG404: long-running containers should have a liveness probe."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import LONG_RUNNING, RuleContext, Violation, rule


@rule(
    id="GG404",
    severity="info",
    title="Missing liveness probe",
    why="Without a liveness probe a deadlocked or wedged process keeps its pod Running forever; "
        "the kubelet only restarts containers whose process exits.",
    fix="Add a cheap `livenessProbe` (HTTP, TCP or exec) that fails only when a restart would "
        "help; do not make it depend on downstream services.",
    kinds=LONG_RUNNING,
    example="livenessProbe:\n  httpGet: {path: /healthz, port: http}\n  periodSeconds: 10",
    doc_url="https://kubernetes.io/docs/tasks/configure-pod-container/"
            "configure-liveness-readiness-startup-probes/",
)
def missing_liveness(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    for path, container in ctx.containers(resource, init=False):
        if not isinstance(container.get("livenessProbe"), dict):
            yield Violation(
                f'container "{container.get("name", "?")}" has no liveness probe', path)
