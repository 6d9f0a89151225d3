"""GG507: RBAC rules with `*` grant everything, including what does not exist yet."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation, rule
from gitops_guard.model import Severity

FIELDS = ("apiGroups", "resources", "verbs")  # document order, for the location


@rule(
    id="GG507",
    severity="warning",
    title="RBAC wildcard",
    why="A `*` in verbs, resources or apiGroups grants every current and future permission in "
        "that dimension (secrets, escalate, impersonate, new CRDs). `*` on all three in a "
        "ClusterRole is cluster-admin; in a Role it is full control of that one namespace.",
    fix="List the exact apiGroups, resources and verbs the subject needs.",
    kinds=("Role", "ClusterRole"),
    example="rules:\n  - apiGroups: [apps]\n    resources: [deployments]\n"
            "    verbs: [get, list, watch]",
    doc_url="https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
    fragments=True,
)
def rbac_wildcard(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    rules = resource.get("rules")
    if not isinstance(rules, list):
        return
    for i, item in enumerate(rules):
        if not isinstance(item, dict):
            continue
        wild = [f for f in FIELDS if isinstance(item.get(f), list) and "*" in item[f]]
        if not wild:
            continue
        everything = len(wild) == len(FIELDS)
        cluster = resource["kind"] == "ClusterRole"
        yield Violation(
            f"{resource['kind']} rule {i} uses * in {', '.join(wild)}"
            + (_scope(resource, cluster) if everything else ""),
            ("rules", i, wild[0], item[wild[0]].index("*")),
            severity=Severity.ERROR if everything and cluster else None)


def _scope(resource: Mapping[str, Any], cluster: bool) -> str:
    """What `*` on all three grants: the whole cluster for a ClusterRole, one namespace
    for a Role."""
    if cluster:
        return " (equivalent to cluster-admin)"
    meta = resource.get("metadata")
    namespace = meta.get("namespace") if isinstance(meta, dict) else None
    where = f'namespace "{namespace}"' if namespace else "its namespace"
    return f" (full control of {where}, no cluster-wide access)"
