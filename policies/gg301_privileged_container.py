"""GG301: a privileged container is root on the node."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule


@rule(
    id="GG301",
    severity="error",
    title="Privileged container",
    why="A privileged container gets every capability and the host's devices: a process "
        "that escapes it owns the node and every pod scheduled there.",
    fix="Remove `securityContext.privileged: true`; grant only the specific capability "
        "the workload needs under `capabilities.add`.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="securityContext:\n  privileged: false",
    doc_url="https://kubernetes.io/docs/concepts/security/pod-security-standards/",
    fragments=True,
)
def privileged_container(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    for path, container in ctx.containers(resource):
        sc = container.get("securityContext")
        if isinstance(sc, dict) and sc.get("privileged") is True:
            yield Violation(f'container "{container.get("name", "?")}" runs privileged',
                            (*path, "securityContext", "privileged"))
