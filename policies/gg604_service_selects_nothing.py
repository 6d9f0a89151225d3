"""GG604: a Service whose selector matches no workload has no endpoints."""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from gitops_guard.evaluate.api import (
    RuleContext,
    Violation,
    pod_labels_by_namespace,
    rule,
)
from gitops_guard.model import Document


@rule(
    id="GG604",
    severity="warning",
    title="Service selects no pods",
    why="A Service whose selector matches no pod template has no endpoints: clients get "
        "connection refused, usually after a label rename on one side only.",
    fix="Make `spec.selector` match the pod template labels of the workload behind it.",
    kinds=("Service",),
    scope="all",
    example="spec:\n  selector: {app: web}",
    doc_url="https://kubernetes.io/docs/concepts/services-networking/service/",
)
def service_selects_nothing(
    documents: Sequence[Document], ctx: RuleContext,
) -> Iterator[Violation]:
    pods = pod_labels_by_namespace(documents)
    services = [d for d in documents
                if d.resource is not None and d.resource.kind == "Service"]
    for doc in services:
        key = doc.resource
        spec = doc.data.get("spec")
        selector = spec.get("selector") if isinstance(spec, dict) else None
        # No selector: endpoints are managed by hand (or ExternalName). Unknown namespace
        # contents (no workload in the input): nothing to judge.
        candidates = pods.get(key.namespace) if key else None
        if not candidates or not isinstance(selector, dict) or not selector:
            continue
        if not any(all(labels.get(k) == v for k, v in selector.items())
                   for labels in candidates):
            yield Violation(f"Service \"{key.name if key else '?'}\" selects no pod of the "
                            "workloads in its namespace", ("spec", "selector"), document=doc)
