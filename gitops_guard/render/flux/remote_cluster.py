"""Objects a Flux object applies to another cluster (`spec.kubeConfig`).

kustomize-controller and helm-controller apply to the cluster a kubeconfig names when
`spec.kubeConfig` is set (hub-and-spoke fleets: the hub's Kustomization `tenants` in
namespace `production` applies to the production cluster). Those objects are rendered
with the environment but belong to that cluster: a Namespace `production` there and one
in the hub are two objects, not a duplicate. Objects under an object that already goes
to a remote cluster go there too.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from gitops_guard.render.sources import Rendered, as_dict


def remote_cluster(spec: dict[str, Any], namespace: str, parent: Rendered) -> str:
    """A name for the cluster `spec.kubeConfig` names, else the parent's ("": this one)."""
    config = as_dict(spec.get("kubeConfig"))
    for field in ("secretRef", "configMapRef"):
        ref = as_dict(config.get(field))
        if ref.get("name"):
            return f"kubeConfig {namespace or 'default'}/{ref['name']}"
    return parent.cluster


def sent_to(items: list[Rendered], cluster: str) -> list[Rendered]:
    """`items` marked as applied to `cluster` (unchanged for this cluster)."""
    return [replace(r, cluster=cluster) for r in items] if cluster else items
