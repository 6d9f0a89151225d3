"""GG508: bindings to cluster-admin make the subject root on the cluster."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation, rule


@rule(
    id="GG508",
    severity="error",
    title="Binding to cluster-admin",
    why="cluster-admin can do anything to any resource; a bound service account's token, "
        "once stolen from its pod, owns the cluster.",
    fix="Bind a role that lists the permissions the subject needs; keep cluster-admin for "
        "break-glass humans outside Git.",
    kinds=("ClusterRoleBinding", "RoleBinding"),
    example="roleRef:\n  kind: ClusterRole\n  name: view",
    doc_url="https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
)
def cluster_admin_binding(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    ref = resource.get("roleRef")
    if isinstance(ref, dict) and ref.get("kind") == "ClusterRole" and \
            ref.get("name") == "cluster-admin":
        meta = resource.get("metadata")
        name = meta.get("name", "?") if isinstance(meta, dict) else "?"
        yield Violation(f'{resource["kind"]} "{name}" grants cluster-admin',
                        ("roleRef", "name"))
