"""GG603: a PodDisruptionBudget that selects no pod protects nothing."""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from gitops_guard.evaluate.api import RuleContext, Violation, rule
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
    pods = ctx.pod_index(documents)
    for doc in documents:
        key = doc.resource
        if key is None or key.kind != "PodDisruptionBudget":
            continue
        spec = doc.data.get("spec")
        selector = spec.get("selector") if isinstance(spec, dict) else None
        # Only judge namespaces whose pods the input shows; others may live elsewhere.
        if not isinstance(selector, dict) or not pods.has_pods(key.namespace):
            continue
        match = selector.get("matchLabels")
        expressions = selector.get("matchExpressions")
        if not pods.select(key.namespace, match if isinstance(match, dict) else {},
                           expressions if isinstance(expressions, list) else ()):
            yield Violation(f'PodDisruptionBudget "{key.name}" selects no pod of the workloads '
                            "in its namespace", ("spec", "selector"), document=doc)
