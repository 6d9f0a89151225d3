"""GG514: Service externalIPs can hijack traffic to any address (CVE-2020-8554)."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation, rule


@rule(
    id="GG514",
    severity="warning",
    title="Service with externalIPs",
    why="Whoever can set externalIPs can make kube-proxy intercept traffic for any IP, "
        "including other tenants' and external services' (CVE-2020-8554).",
    fix="Use a LoadBalancer Service or the Ingress/Gateway; block externalIPs with an "
        "admission policy.",
    kinds=("Service",),
    example="spec:\n  type: LoadBalancer",
    doc_url="https://github.com/kubernetes/kubernetes/issues/97076",
    fragments=True,
)
def external_ips(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    spec = resource.get("spec")
    ips = spec.get("externalIPs") if isinstance(spec, dict) else None
    if isinstance(ips, list) and ips:
        yield Violation(f"Service sets externalIPs {', '.join(map(str, ips))}",
                        ("spec", "externalIPs"))
