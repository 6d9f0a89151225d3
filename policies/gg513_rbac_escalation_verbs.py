"""GG513: RBAC verbs that let a subject grant itself more."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation, rule

# escalate/bind bypass RBAC's own escalation check; impersonate acts as anyone.
ESCALATING = frozenset({"escalate", "bind", "impersonate"})


@rule(
    id="GG513",
    severity="warning",
    title="RBAC escalation verb",
    why="`escalate` and `bind` let a subject create roles or bindings with permissions it does "
        "not hold, and `impersonate` lets it act as any user or group: each is a path to "
        "cluster-admin.",
    fix="Remove the verb; if a controller truly needs it, restrict `resources` and "
        "`resourceNames` to exactly what it manages.",
    kinds=("Role", "ClusterRole"),
    example="rules:\n  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [roles]\n"
            "    verbs: [get, list]",
    doc_url="https://kubernetes.io/docs/concepts/security/rbac-good-practices/"
            "#escalate-verb",
    fragments=True,
)
def rbac_escalation(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    rules = resource.get("rules")
    if not isinstance(rules, list):
        return
    for i, item in enumerate(rules):
        verbs = item.get("verbs") if isinstance(item, dict) else None
        if not isinstance(verbs, list):
            continue
        for j, verb in enumerate(verbs):
            if verb in ESCALATING:
                yield Violation(f"{resource['kind']} rule {i} grants the {verb} verb",
                                ("rules", i, "verbs", j))
