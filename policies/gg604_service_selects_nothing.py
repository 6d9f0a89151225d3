"""GG604: a Service whose selector matches no workload has no endpoints."""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from gitops_guard.evaluate.api import RuleContext, Violation, rule
from gitops_guard.model import Document


@rule(
    id="GG604",
    severity="warning",
    title="Service selects no pods",
    why="A Service whose selector matches no pod template has no endpoints: clients get "
        "connection refused, usually after a label rename on one side only. Pods count from "
        "every workload kind (Argo Rollouts and other custom resources with a pod template "
        "included) and from operators' resources (Prometheus, Alertmanager).",
    fix="Make `spec.selector` match the pod template labels of the workload behind it.",
    kinds=("Service",),
    scope="all",
    example="spec:\n  selector: {app: web}",
    doc_url="https://kubernetes.io/docs/concepts/services-networking/service/",
)
def service_selects_nothing(
    documents: Sequence[Document], ctx: RuleContext,
) -> Iterator[Violation]:
    pods = ctx.pod_index(documents)
    for doc in documents:
        key = doc.resource
        if key is None or key.kind != "Service" or key.group != "":
            continue
        spec = doc.data.get("spec")
        selector = spec.get("selector") if isinstance(spec, dict) else None
        # No selector: endpoints are managed by hand (or ExternalName). A namespace whose
        # pods the input does not show (none here, or a HelmRelease deploying into it):
        # nothing to judge.
        if not isinstance(selector, dict) or not selector or not pods.has_pods(key.namespace):
            continue
        if not pods.select(key.namespace, selector):
            yield Violation(f'Service "{key.name}" selects no pod of the workloads in its '
                            "namespace", ("spec", "selector"), document=doc)
