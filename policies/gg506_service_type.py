"""GG506: Services exposed outside the cluster (option `allowed_service_types`)."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation, rule

DEFAULT_ALLOWED = ("ClusterIP", "ExternalName")


@rule(
    id="GG506",
    severity="warning",
    title="Service type not allowed",
    why="LoadBalancer and NodePort Services open the workload to networks outside the cluster "
        "(often the internet), bypassing the shared ingress with its TLS, auth and WAF.",
    fix="Use a ClusterIP Service behind the Ingress/Gateway, or allow the type in "
        "`allowed_service_types` for the environments that need it.",
    kinds=("Service",),
    example="spec:\n  type: ClusterIP",
    doc_url="https://kubernetes.io/docs/concepts/services-networking/service/"
            "#publishing-services-service-types",
    fragments=True,
)
def service_type(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    spec = resource.get("spec")
    if not isinstance(spec, dict):
        return
    kind = spec.get("type", "ClusterIP")
    allowed = ctx.option("allowed_service_types", DEFAULT_ALLOWED)
    if isinstance(allowed, str):
        allowed = (allowed,)
    if kind not in allowed:
        yield Violation(f"Service type {kind} is not allowed (allowed: "
                        f"{', '.join(map(str, allowed))})", ("spec", "type"))
