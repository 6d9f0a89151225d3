"""GG314: procMount: Unmasked exposes the host's /proc."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule


@rule(
    id="GG314",
    severity="error",
    title="Unmasked /proc mount",
    why="procMount: Unmasked removes the masking of sensitive /proc paths (kcore, sysrq-trigger, "
        "keys), which the runtime applies to keep containers from reading or poking the host.",
    fix="Remove `procMount` or set it to `Default`.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="securityContext:\n  procMount: Default",
    doc_url="https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
    fragments=True,
)
def proc_mount_unmasked(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    for path, container in ctx.containers(resource):
        sc = container.get("securityContext")
        if isinstance(sc, dict) and sc.get("procMount") == "Unmasked":
            yield Violation(f'container "{container.get("name", "?")}" mounts /proc unmasked',
                            (*path, "securityContext", "procMount"))
