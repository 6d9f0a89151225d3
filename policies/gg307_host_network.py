"""GG307: pods must not share the node's network namespace (hostNetwork)."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule


@rule(
    id="GG307",
    severity="error",
    title="Host network namespace shared",
    why="With hostNetwork: true the pod can sniff traffic on the node, reach services "
        "bound to localhost (kubelet, cloud metadata proxies) and bypass NetworkPolicy.",
    fix="Remove `hostNetwork: true` from the pod spec; node agents that need it belong in a "
        "dedicated namespace with an explicit, reasoned suppression.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="spec:\n  hostNetwork: false",
    doc_url="https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
    fragments=True,
)
def host_network(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    found = ctx.pod_spec(resource)
    if found is not None and found[1].get("hostNetwork") is True:
        yield Violation("pod shares the node's network namespace (hostNetwork: true)",
                        (*found[0], "hostNetwork"))
