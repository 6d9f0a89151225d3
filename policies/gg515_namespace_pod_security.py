"""GG515: Namespaces should enforce a Pod Security Standard."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation, rule

LABEL = "pod-security.kubernetes.io/enforce"


@rule(
    id="GG515",
    severity="info",
    title="Namespace without Pod Security enforcement",
    why="Pod Security Admission enforces nothing until a namespace opts in with the "
        "`pod-security.kubernetes.io/enforce` label, so the checks in this library are the "
        "only guard against privileged pods there.",
    fix="Label the namespace `pod-security.kubernetes.io/enforce: restricted` (or baseline).",
    kinds=("Namespace",),
    example="metadata:\n  labels:\n    pod-security.kubernetes.io/enforce: restricted",
    doc_url="https://kubernetes.io/docs/concepts/security/pod-security-admission/",
)
def namespace_pod_security(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    meta = resource.get("metadata")
    if not isinstance(meta, dict):
        return
    labels = meta.get("labels")
    level = labels.get(LABEL) if isinstance(labels, dict) else None
    name = meta.get("name", "?")
    if level is None:
        yield Violation(f'Namespace "{name}" has no {LABEL} label',
                        ("metadata", "labels") if isinstance(labels, dict) else ("metadata",))
    elif level == "privileged":
        yield Violation(f'Namespace "{name}" enforces the privileged level (no checks)',
                        ("metadata", "labels", LABEL))
