"""GG305: containers should drop ALL capabilities and add back only what they need."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule


@rule(
    id="GG305",
    severity="warning",
    title="Capabilities not dropped",
    why="Container runtimes grant a default set of Linux capabilities (NET_RAW, CHOWN, "
        "SETUID, ...) that most services never use and that widen every exploit.",
    fix="Set `securityContext.capabilities.drop: [ALL]` and add back single capabilities "
        "(e.g. NET_BIND_SERVICE) only where needed.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="securityContext:\n  capabilities:\n    drop: [ALL]",
    doc_url="https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
)
def capabilities_not_dropped(
    resource: Mapping[str, Any], ctx: RuleContext,
) -> Iterator[Violation]:
    for path, container in ctx.containers(resource):
        where: tuple[str | int, ...] = path
        sc = container.get("securityContext")
        if isinstance(sc, dict):
            where = (*path, "securityContext")
            caps = sc.get("capabilities")
            if isinstance(caps, dict):
                where = (*where, "capabilities")
                drop = caps.get("drop")
                if isinstance(drop, list):
                    if any(str(c).upper() == "ALL" for c in drop):
                        continue
                    where = (*where, "drop")
        yield Violation(
            f'container "{container.get("name", "?")}" does not drop ALL capabilities', where)
