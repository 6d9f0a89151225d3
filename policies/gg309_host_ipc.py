"""GG309: pods must not share the node's IPC namespace (hostIPC)."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule


@rule(
    id="GG309",
    severity="error",
    title="Host IPC namespace shared",
    why="With hostIPC: true the pod can read and write the shared memory and semaphores "
        "of every process on the node.",
    fix="Remove `hostIPC: true` from the pod spec; node agents that need it belong in a "
        "dedicated namespace with an explicit, reasoned suppression.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="spec:\n  hostIPC: false",
    doc_url="https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
    fragments=True,
)
def host_ipc(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    found = ctx.pod_spec(resource)
    if found is not None and found[1].get("hostIPC") is True:
        yield Violation("pod shares the node's IPC namespace (hostIPC: true)",
                        (*found[0], "hostIPC"))
