"""GG410: a liveness probe identical to the readiness probe restarts pods that are only busy."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule

# Timing fields may differ; what is probed must not.
HANDLERS = ("httpGet", "tcpSocket", "exec", "grpc")


def _target(probe: Any) -> tuple[tuple[str, str], ...] | None:
    if not isinstance(probe, dict):
        return None
    found = tuple((key, repr(probe[key])) for key in HANDLERS if key in probe)
    return found or None


@rule(
    id="GG410",
    severity="info",
    title="Liveness probe identical to readiness probe",
    why="When both probes hit the same check, a pod that is merely overloaded fails liveness "
        "too and gets restarted, turning a slowdown into an outage across replicas.",
    fix="Make the liveness probe a cheaper check (process alive) than readiness (can serve), "
        "or give it a much higher failureThreshold.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="livenessProbe:\n  httpGet: {path: /livez, port: http}\n"
            "readinessProbe:\n  httpGet: {path: /readyz, port: http}",
    doc_url="https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/",
)
def identical_probes(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    for path, container in ctx.containers(resource, init=False):
        live = container.get("livenessProbe")
        ready = container.get("readinessProbe")
        target = _target(live)
        if target is None or target != _target(ready):
            continue
        # Same check but a higher failure threshold is the documented way to make it safe.
        live_fail = live.get("failureThreshold", 3) if isinstance(live, dict) else 3
        ready_fail = ready.get("failureThreshold", 3) if isinstance(ready, dict) else 3
        if live_fail == ready_fail:
            yield Violation(f'container "{container.get("name", "?")}" uses the same check for '
                            "liveness and readiness", (*path, "livenessProbe"))
