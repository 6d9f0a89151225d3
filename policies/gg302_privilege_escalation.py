"""GG302: allowPrivilegeEscalation must be explicitly false."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule


@rule(
    id="GG302",
    severity="warning",
    title="Privilege escalation not disabled",
    why="Unless allowPrivilegeEscalation is false, a setuid binary in the image can gain "
        "more privileges than its parent process (no_new_privs is not set).",
    fix="Set `securityContext.allowPrivilegeEscalation: false` on every container.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="securityContext:\n  allowPrivilegeEscalation: false",
    doc_url="https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
)
def privilege_escalation(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    for path, container in ctx.containers(resource):
        name = container.get("name", "?")
        sc = container.get("securityContext")
        if not isinstance(sc, dict):
            yield Violation(f'container "{name}" does not set allowPrivilegeEscalation: false',
                            path)
        elif sc.get("allowPrivilegeEscalation") is not False:
            where = ("allowPrivilegeEscalation",) if "allowPrivilegeEscalation" in sc else ()
            yield Violation(
                f'container "{name}" does not set allowPrivilegeEscalation: false',
                (*path, "securityContext", *where))
