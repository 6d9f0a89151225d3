"""GG603: a PodDisruptionBudget that selects no pod protects nothing."""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from gitops_guard.evaluate.api import (
    RuleContext,
    Violation,
    pod_labels_by_namespace,
    rule,
    selects,
)
from gitops_guard.model import Document


@rule(
    id="GG603",
    severity="warning",
    title="PodDisruptionBudget selects no pods",
    why="A PDB whose selector matches no workload's pods gives no protection during drains "
        "and upgrades, while reviewers believe the service is covered.",
    fix="Make `spec.selector` match the pod template labels of the workload it protects.",
    kinds=("PodDisruptionBudget",),
    scope="all",
    example="spec:\n  minAvailable: 1\n  selector:\n    matchLabels: {app: web}",
    doc_url="https://kubernetes.io/docs/tasks/run-application/configure-pdb/",
)
def pdb_selects_nothing(documents: Sequence[Document], ctx: RuleContext) -> Iterator[Violation]:
    pods = pod_labels_by_namespace(documents)
    pdbs = [d for d in documents
            if d.resource is not None and d.resource.kind == "PodDisruptionBudget"]
    for doc in pdbs:
        key = doc.resource
        spec = doc.data.get("spec")
        selector = spec.get("selector") if isinstance(spec, dict) else None
        # Only judge namespaces whose workloads are in the input; others may live elsewhere.
        candidates = pods.get(key.namespace) if key else None
        if not candidates or not isinstance(selector, dict):
            continue
        if not any(selects(selector, labels) for labels in candidates):
            yield Violation(f"PodDisruptionBudget \"{key.name if key else '?'}\" selects no pod "
                            "of the workloads in its namespace", ("spec", "selector"),
                            document=doc)
