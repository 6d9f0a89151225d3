"""GG315: only namespaced, safe sysctls may be set from a pod."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule

# The Pod Security Standards' baseline allow-list (the kubelet's safe set).
SAFE = frozenset({
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
})


@rule(
    id="GG315",
    severity="error",
    title="Unsafe sysctl",
    why="Sysctls outside the safe set are not isolated per pod or can starve the node: one "
        "pod changing them affects every other pod there.",
    fix="Remove the sysctl, or tune it on dedicated nodes (taints) with the kubelet's "
        "--allowed-unsafe-sysctls and a reasoned suppression.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="securityContext:\n  sysctls:\n    - name: net.ipv4.ip_local_port_range\n"
            "      value: \"1024 65535\"",
    doc_url="https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/",
    fragments=True,
)
def unsafe_sysctls(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    found = ctx.pod_spec(resource)
    sc = found[1].get("securityContext") if found else None
    sysctls = sc.get("sysctls") if isinstance(sc, dict) else None
    if found is None or not isinstance(sysctls, list):
        return
    for i, item in enumerate(sysctls):
        name = item.get("name") if isinstance(item, dict) else None
        if isinstance(name, str) and name.replace("/", ".") not in SAFE:
            yield Violation(f"pod sets unsafe sysctl {name}",
                            (*found[0], "securityContext", "sysctls", i, "name"))
