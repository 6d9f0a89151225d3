"""GG308: pods must not share the node's process namespace (hostPID)."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule


@rule(
    id="GG308",
    severity="error",
    title="Host PID namespace shared",
    why="With hostPID: true the pod can see and signal every process on the node, read "
        "their environment and /proc, and escalate through them.",
    fix="Remove `hostPID: true` from the pod spec; node agents that need it belong in a "
        "dedicated namespace with an explicit, reasoned suppression.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="spec:\n  hostPID: false",
    doc_url="https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
    fragments=True,
)
def host_pid(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    found = ctx.pod_spec(resource)
    if found is not None and found[1].get("hostPID") is True:
        yield Violation("pod shares the node's process namespace (hostPID: true)",
                        (*found[0], "hostPID"))
