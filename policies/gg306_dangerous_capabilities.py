"""GG306: capabilities that amount to host access must not be added."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule

# Each of these is a documented container-escape or host-control primitive.
DANGEROUS = frozenset({
    "ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "SYS_RAWIO", "SYS_BOOT",
    "SYS_TIME", "DAC_READ_SEARCH", "BPF", "PERFMON", "MAC_ADMIN", "MAC_OVERRIDE",
    "SYSLOG", "NET_RAW",
})


@rule(
    id="GG306",
    severity="error",
    title="Dangerous capability added",
    why="Capabilities such as SYS_ADMIN, NET_ADMIN, SYS_PTRACE or SYS_MODULE let a container "
        "reconfigure or read the host kernel, network or other processes: effectively "
        "privileged.",
    fix="Remove the capability from `capabilities.add`; if a node agent truly needs it, run "
        "it in a dedicated, restricted namespace and suppress this finding with a reason.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="capabilities:\n  drop: [ALL]\n  add: [NET_BIND_SERVICE]",
    doc_url="https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
    fragments=True,
)
def dangerous_capabilities(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    for path, container in ctx.containers(resource):
        sc = container.get("securityContext")
        caps = sc.get("capabilities") if isinstance(sc, dict) else None
        added = caps.get("add") if isinstance(caps, dict) else None
        if not isinstance(added, list):
            continue
        for i, cap in enumerate(added):
            name = str(cap).upper().removeprefix("CAP_")
            if name in DANGEROUS:
                yield Violation(
                    f'container "{container.get("name", "?")}" adds capability {name}',
                    (*path, "securityContext", "capabilities", "add", i))
