"""GG508: bindings to cluster-admin make the subject root on the cluster."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation, rule
from gitops_guard.model import Severity


@rule(
    id="GG508",
    severity="error",
    title="Binding to cluster-admin",
    why="cluster-admin can do anything to any resource; a service account bound to it by a "
        "ClusterRoleBinding owns the cluster once its token is stolen from its pod. A "
        "RoleBinding to it grants the same inside one namespace only (a warning: the usual "
        "way to give a tenant's reconciler its namespace).",
    fix="Bind a role that lists the permissions the subject needs; keep cluster-admin for "
        "break-glass humans outside Git.",
    kinds=("ClusterRoleBinding", "RoleBinding"),
    example="roleRef:\n  kind: ClusterRole\n  name: view",
    doc_url="https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
    fragments=True,
)
def cluster_admin_binding(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    ref = resource.get("roleRef")
    if isinstance(ref, dict) and ref.get("kind") == "ClusterRole" and \
            ref.get("name") == "cluster-admin":
        meta = resource.get("metadata")
        meta = meta if isinstance(meta, dict) else {}
        name = meta.get("name", "?")
        if resource["kind"] == "ClusterRoleBinding":
            yield Violation(f'ClusterRoleBinding "{name}" grants cluster-admin on the whole '
                            "cluster", ("roleRef", "name"))
            return
        namespace = meta.get("namespace")
        where = f'namespace "{namespace}"' if namespace else "its namespace"
        yield Violation(f'RoleBinding "{name}" grants full control of {where} (ClusterRole '
                        "cluster-admin bound in one namespace, not cluster-wide)",
                        ("roleRef", "name"), severity=Severity.WARNING)
