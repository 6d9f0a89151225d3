"""GG311: hostPort binds a port on the node itself."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule


@rule(
    id="GG311",
    severity="warning",
    title="hostPort used",
    why="A hostPort exposes the container on every node address it lands on, outside Service "
        "and NetworkPolicy control, and limits scheduling to one such pod per node.",
    fix="Remove `hostPort` and expose the container through a Service (or an Ingress).",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="ports:\n  - containerPort: 8080",
    doc_url="https://kubernetes.io/docs/concepts/configuration/overview/#services",
    fragments=True,
)
def host_port(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    for path, container in ctx.containers(resource):
        ports = container.get("ports")
        if not isinstance(ports, list):
            continue
        for i, port in enumerate(ports):
            # hostPort 0 means "not set" to the API server.
            if isinstance(port, dict) and port.get("hostPort") not in (None, 0):
                yield Violation(
                    f'container "{container.get("name", "?")}" binds host port '
                    f'{port["hostPort"]}', (*path, "ports", i, "hostPort"))
