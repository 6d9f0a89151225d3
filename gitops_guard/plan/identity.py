"""Resource identity as the API server sees it: group/kind/namespace/name.

The version is not part of identity (`autoscaling/v2beta2` -> `v2` is the same
object). Namespaced kinds without a namespace land in the environment's namespace
(else `default`); cluster-scoped kinds have none, whatever the manifest says.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gitops_guard.kinds import CLUSTER_SCOPED
from gitops_guard.plan.model import Identity

# Kinds that moved API group: the old group names the same object.
GROUP_MOVES: dict[tuple[str, str], str] = {
    ("extensions", "Deployment"): "apps", ("extensions", "DaemonSet"): "apps",
    ("extensions", "ReplicaSet"): "apps", ("extensions", "Ingress"): "networking.k8s.io",
    ("extensions", "NetworkPolicy"): "networking.k8s.io",
    ("extensions", "PodSecurityPolicy"): "policy",
}


def group_of(api_version: str) -> str:
    return api_version.rpartition("/")[0]


def cluster_scoped_crds(objects: Iterable[dict[str, Any]]) -> set[tuple[str, str]]:
    """(group, kind) of CRDs in the input that declare `scope: Cluster`."""
    found: set[tuple[str, str]] = set()
    for obj in objects:
        if obj.get("kind") != "CustomResourceDefinition":
            continue
        spec = obj.get("spec")
        if isinstance(spec, dict) and spec.get("scope") == "Cluster":
            names = spec.get("names")
            kind = names.get("kind") if isinstance(names, dict) else None
            if isinstance(kind, str) and isinstance(spec.get("group"), str):
                found.add((spec["group"], kind))
    return found


def identity_of(obj: dict[str, Any], default_namespace: str = "default",
                cluster_kinds: frozenset[tuple[str, str]] | set[tuple[str, str]] = frozenset(),
                ) -> Identity:
    api_version = obj.get("apiVersion")
    kind = obj.get("kind")
    group = group_of(api_version) if isinstance(api_version, str) else ""
    kind = kind if isinstance(kind, str) else ""
    group = GROUP_MOVES.get((group, kind), group)
    meta = obj.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    name = meta.get("name") or meta.get("generateName") or ""
    if (group, kind) in CLUSTER_SCOPED or (group, kind) in cluster_kinds:
        namespace = ""
    else:
        ns = meta.get("namespace")
        namespace = ns if isinstance(ns, str) and ns else default_namespace
    return Identity(group, kind, namespace, str(name))
