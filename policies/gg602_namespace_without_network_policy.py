"""GG602: a namespace that runs workloads should have a NetworkPolicy."""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule
from gitops_guard.model import Document

POLICY_KINDS = frozenset({"NetworkPolicy", "CiliumNetworkPolicy", "AdminNetworkPolicy"})
# Cluster-wide policies cover every namespace: with one in the set we cannot judge.
CLUSTER_POLICY_KINDS = frozenset({"CiliumClusterwideNetworkPolicy", "GlobalNetworkPolicy",
                                  "BaselineAdminNetworkPolicy", "ClusterNetworkPolicy"})


@rule(
    id="GG602",
    severity="warning",
    title="Namespace without NetworkPolicy",
    why="Without any NetworkPolicy every pod accepts traffic from every other pod in the "
        "cluster: one compromised workload can reach all the others' ports.",
    fix="Add a default-deny NetworkPolicy to the namespace and allow the flows the workloads "
        "need.",
    scope="all",
    example="kind: NetworkPolicy\nmetadata: {name: default-deny, namespace: shop}\n"
            "spec:\n  podSelector: {}\n  policyTypes: [Ingress]",
    doc_url="https://kubernetes.io/docs/concepts/services-networking/network-policies/",
)
def namespace_without_policy(
    documents: Sequence[Document], ctx: RuleContext,
) -> Iterator[Violation]:
    first_workload: dict[str, Document] = {}
    covered: set[str] = set()
    for doc in documents:
        key = doc.resource
        if key is None:
            continue
        if key.kind in CLUSTER_POLICY_KINDS:
            return
        if key.kind in POLICY_KINDS:
            covered.add(key.namespace)
        elif key.kind in POD_TEMPLATE_PATHS and key.namespace:
            # Without an explicit namespace we cannot tell which namespace it lands in.
            first_workload.setdefault(key.namespace, doc)
    for ns, doc in first_workload.items():
        if ns not in covered:
            yield Violation(f'namespace "{ns}" runs workloads but the input has no '
                            "NetworkPolicy for it", ("metadata", "namespace"), document=doc)
