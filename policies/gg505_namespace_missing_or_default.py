"""GG505: namespaced resources should say where they go, and not into `default`."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation, rule
from gitops_guard.kinds import CLUSTER_SCOPED_KINDS
from gitops_guard.model import Severity

# Files that look like resources but are tool configuration (kustomization.yaml, ...).
CONFIG_GROUPS = ("kustomize.config.k8s.io/", "config.kubernetes.io/", "kubeadm.k8s.io/",
                 "kubelet.config.k8s.io/", "kubeproxy.config.k8s.io/", "kind.x-k8s.io/",
                 "apiserver.config.k8s.io/", "ctlptl.dev/", "skaffold/",
                 "builtin")  # kustomize's built-in transformer configs: `apiVersion: builtin`
LIST_KINDS = ("List",)


def namespaced(resource: Mapping[str, Any]) -> bool:
    kind = str(resource.get("kind", ""))
    api = str(resource.get("apiVersion", ""))
    if kind in CLUSTER_SCOPED_KINDS or kind.endswith(LIST_KINDS) or api.startswith(
            CONFIG_GROUPS):
        return False
    # Controllers name their cluster-scoped variants Cluster* (ClusterIssuer, ...).
    return not (kind.startswith("Cluster") and kind[7:8].isupper())


@rule(
    id="GG505",
    severity="warning",
    title="Namespace missing or default",
    why="Resources in `default` share it with everything nobody placed on purpose, outside any "
        "team's quotas, RBAC and NetworkPolicies; a missing namespace lands wherever the "
        "applying context points.",
    fix="Set `metadata.namespace` to the team's namespace, or let what deploys it set it: "
        "Kustomize's `namespace:`, the Argo CD destination, Flux's `targetNamespace` (a "
        "resource whose deployer in the input sets it is not reported).",
    example="metadata:\n  name: web\n  namespace: shop",
    doc_url="https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/",
)
def namespace_missing_or_default(
    resource: Mapping[str, Any], ctx: RuleContext,
) -> Iterator[Violation]:
    if not namespaced(resource):
        return
    meta = resource.get("metadata")
    if not isinstance(meta, dict):
        return
    ns = meta.get("namespace")
    if ns == "default":
        yield Violation(f'{resource["kind"]} "{meta.get("name", "?")}" is in the default '
                        "namespace", ("metadata", "namespace"))
    elif not ns and ctx.deployed_namespace is None:
        # GitOps tools often set the namespace at apply time: only a hint.
        yield Violation(f'{resource["kind"]} "{meta.get("name", "?")}" has no namespace',
                        ("metadata",), severity=Severity.INFO)
