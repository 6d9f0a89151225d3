"""GG511: Ingresses should terminate TLS."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation, rule


@rule(
    id="GG511",
    severity="warning",
    title="Ingress without TLS",
    why="Without a `tls` section the Ingress serves plain HTTP: credentials and session "
        "cookies cross the network readable and modifiable.",
    fix="Add `spec.tls` with the hosts and a certificate Secret (cert-manager can issue it).",
    kinds=("Ingress",),
    example="spec:\n  tls:\n    - hosts: [shop.example.com]\n      secretName: shop-tls",
    doc_url="https://kubernetes.io/docs/concepts/services-networking/ingress/#tls",
)
def ingress_without_tls(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    spec = resource.get("spec")
    if not isinstance(spec, dict):
        return
    tls = spec.get("tls")
    if not isinstance(tls, list) or not tls:
        meta = resource.get("metadata")
        name = meta.get("name", "?") if isinstance(meta, dict) else "?"
        yield Violation(f'Ingress "{name}" has no TLS section',
                        ("spec", "tls") if "tls" in spec else ("spec",))
