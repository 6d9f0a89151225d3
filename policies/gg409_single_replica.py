"""GG409: a Deployment with one replica is down on every rollout and node drain."""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from gitops_guard.evaluate.api import RuleContext, Violation, rule
from gitops_guard.model import Document

# Autoscalers own the replica count of what they target (HPA, KEDA ScaledObject).
SCALERS = ("HorizontalPodAutoscaler", "ScaledObject")


def _scaled(documents: Sequence[Document]) -> set[tuple[str, str]]:
    """(namespace, name) of every Deployment an autoscaler in the input targets."""
    out: set[tuple[str, str]] = set()
    for doc in documents:
        key = doc.resource
        if key is None or key.kind not in SCALERS:
            continue
        spec = doc.data.get("spec")
        ref = spec.get("scaleTargetRef") if isinstance(spec, dict) else None
        if isinstance(ref, dict) and ref.get("kind", "Deployment") == "Deployment":
            out.add((key.namespace, str(ref.get("name"))))
    return out


@rule(
    id="GG409",
    severity="info",
    title="Single-replica Deployment",
    why="With one replica every rollout, node drain or eviction takes the service down, and "
        "no PodDisruptionBudget can help.",
    fix="Run at least 2 replicas (with a PodDisruptionBudget), or let an autoscaler own the "
        "count with minReplicas >= 2.",
    kinds=("Deployment",),
    scope="all",
    example="spec:\n  replicas: 2",
    doc_url="https://kubernetes.io/docs/tasks/run-application/configure-pdb/",
)
def single_replica(documents: Sequence[Document], ctx: RuleContext) -> Iterator[Violation]:
    scaled: set[tuple[str, str]] | None = None
    for doc in documents:
        key = doc.resource
        if key is None or key.kind != "Deployment":
            continue
        spec = doc.data.get("spec")
        if not isinstance(spec, dict):
            continue
        replicas = spec.get("replicas", 1)
        if replicas != 1 or isinstance(replicas, bool):
            continue  # 0 is scaled down on purpose; templated values are not ours to judge
        if scaled is None:
            scaled = _scaled(documents)
        if (key.namespace, key.name) in scaled:
            continue
        where = ("spec", "replicas") if "replicas" in spec else ("spec",)
        yield Violation(f'Deployment "{key.name}" runs a single replica', where, document=doc)
