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
        "that dimension (secrets, escalate, impersonate, new CRDs); `*` on all three is "
        "cluster-admin.",
    fix="List the exact apiGroups, resources and verbs the subject needs.",
    kinds=("Role", "ClusterRole"),
    example="rules:\n  - apiGroups: [apps]\n    resources: [deployments]\n"
            "    verbs: [get, list, watch]",
    doc_url="https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
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
        yield Violation(
            f"{resource['kind']} rule {i} uses * in {', '.join(wild)}"
            + (" (equivalent to cluster-admin)" if everything else ""),
            ("rules", i, wild[0], item[wild[0]].index("*")),
            severity=Severity.ERROR if everything else None)
