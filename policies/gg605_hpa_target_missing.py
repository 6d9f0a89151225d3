"""GG605: an HPA whose scale target is not in the input scales nothing."""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule
from gitops_guard.model import Document


@rule(
    id="GG605",
    severity="warning",
    title="HPA targets a missing workload",
    why="An HorizontalPodAutoscaler pointing at a workload that does not exist (renamed, or a "
        "kind typo) silently does nothing: the service stops scaling under load.",
    fix="Point `spec.scaleTargetRef` at the workload's kind and name, in the same namespace.",
    kinds=("HorizontalPodAutoscaler",),
    scope="all",
    example="scaleTargetRef:\n  apiVersion: apps/v1\n  kind: Deployment\n  name: web",
    doc_url="https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/",
)
def hpa_target_missing(documents: Sequence[Document], ctx: RuleContext) -> Iterator[Violation]:
    present: set[tuple[str, str, str]] = set()
    with_workloads: set[str] = set()
    hpas: list[Document] = []
    for doc in documents:
        key = doc.resource
        if key is None:
            continue
        present.add((key.namespace, key.kind, key.name))
        if key.kind in POD_TEMPLATE_PATHS:
            with_workloads.add(key.namespace)
        elif key.kind == "HorizontalPodAutoscaler":
            hpas.append(doc)
    for doc in hpas:
        key = doc.resource
        spec = doc.data.get("spec")
        ref = spec.get("scaleTargetRef") if isinstance(spec, dict) else None
        # Only judge namespaces whose workloads are in the input.
        if key is None or key.namespace not in with_workloads or not isinstance(ref, dict):
            continue
        kind, name = str(ref.get("kind", "")), str(ref.get("name", ""))
        if (key.namespace, kind, name) not in present:
            yield Violation(f'HorizontalPodAutoscaler "{key.name}" targets {kind} "{name}", '
                            "which is not in the input", ("spec", "scaleTargetRef", "name"),
                            document=doc)
