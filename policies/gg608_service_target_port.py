"""GG608: a Service's targetPort must be a port its pods declare."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation, rule
from gitops_guard.model import Document, Severity


@rule(
    id="GG608",
    severity="warning",
    title="Service targetPort not declared by its pods",
    why="A named targetPort that no selected container declares leaves the Service without "
        "endpoints on that port; a numeric one that no container lists is usually a typo.",
    fix="Point `targetPort` at a `ports[].name` (or containerPort) of the selected containers.",
    kinds=("Service",),
    scope="all",
    example="ports:\n  - port: 80\n    targetPort: http  # containers: ports: [{name: http, ...}]",
    doc_url="https://kubernetes.io/docs/concepts/services-networking/service/"
            "#field-spec-ports",
)
def service_target_port(documents: Sequence[Document], ctx: RuleContext) -> Iterator[Violation]:
    pods = ctx.pod_index(documents)
    for doc in documents:
        key = doc.resource
        if key is None or key.kind != "Service" or key.group != "":
            continue
        spec = doc.data.get("spec")
        selector = spec.get("selector") if isinstance(spec, dict) else None
        ports = spec.get("ports") if isinstance(spec, dict) else None
        if not isinstance(selector, dict) or not selector or not isinstance(ports, list):
            continue
        matched = pods.select(key.namespace, selector)
        if not matched or not all(m.ports_known for m in matched):
            continue  # GG604's business, pods defined elsewhere, or an operator's ports
        names = frozenset().union(*(m.port_names for m in matched))
        numbers = frozenset().union(*(m.port_numbers for m in matched))
        yield from _check_ports(doc, ports, names, numbers)


def _check_ports(doc: Document, ports: list[Any], names: frozenset[str],
                 numbers: frozenset[int]) -> Iterator[Violation]:
    for i, port in enumerate(ports):
        if not isinstance(port, dict):
            continue
        target = port.get("targetPort", port.get("port"))
        where = ("spec", "ports", i, "targetPort" if "targetPort" in port else "port")
        if isinstance(target, str) and not target.isdigit() and target not in names:
            yield Violation(f"targetPort {target!r} is not a port name of the selected "
                            "containers", where, document=doc)
        elif isinstance(target, int | str) and str(target).isdigit() and numbers and \
                int(target) not in numbers:
            # Declaring container ports is optional, so a number mismatch is only a hint.
            yield Violation(f"targetPort {target} is not a containerPort of the selected "
                            "containers", where, document=doc, severity=Severity.INFO)
