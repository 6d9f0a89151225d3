"""GG608: a Service's targetPort must be a port its pods declare."""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule
from gitops_guard.model import Document, Severity


def _pods(doc: Document) -> tuple[Mapping[str, Any], set[str], set[int]]:
    """(template labels, port names, port numbers) of one workload."""
    node: Any = doc.data
    for key in (*POD_TEMPLATE_PATHS[doc.data["kind"]], "metadata", "labels"):
        node = node.get(key) if isinstance(node, dict) else None
    names: set[str] = set()
    numbers: set[int] = set()
    for _, container in RuleContext.containers(doc.data, init=False):
        for port in container.get("ports") or ():
            if isinstance(port, dict):
                if port.get("name"):
                    names.add(str(port["name"]))
                if isinstance(port.get("containerPort"), int):
                    numbers.add(port["containerPort"])
    return (node if isinstance(node, dict) else {}), names, numbers


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
    workloads: dict[str, list[tuple[Mapping[str, Any], set[str], set[int]]]] = {}
    services: list[Document] = []
    for doc in documents:
        key = doc.resource
        if key is not None and key.kind in POD_TEMPLATE_PATHS:
            workloads.setdefault(key.namespace, []).append(_pods(doc))
        elif key is not None and key.kind == "Service":
            services.append(doc)
    for doc in services:
        spec = doc.data.get("spec")
        selector = spec.get("selector") if isinstance(spec, dict) else None
        ports = spec.get("ports") if isinstance(spec, dict) else None
        if not isinstance(selector, dict) or not selector or not isinstance(ports, list):
            continue
        key = doc.resource
        matched = [w for w in workloads.get(key.namespace if key else "", ())
                   if all(w[0].get(k) == v for k, v in selector.items())]
        if not matched:
            continue  # GG604's business, or pods defined elsewhere
        names = set().union(*(w[1] for w in matched))
        numbers = set().union(*(w[2] for w in matched))
        yield from _check_ports(doc, ports, names, numbers)


def _check_ports(doc: Document, ports: list[Any], names: set[str],
                 numbers: set[int]) -> Iterator[Violation]:
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
