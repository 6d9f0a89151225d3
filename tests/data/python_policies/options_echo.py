"""ACME003: reports the options and Kubernetes version it was given (tests the plumbing)."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation, rule


@rule(id="ACME003", severity="info", title="Options echo", kinds=("ConfigMap",))
def options_echo(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    limit = ctx.option("max_keys", 99)
    keys = resource.get("data") or {}
    if len(keys) > limit:
        yield Violation(f"{len(keys)} keys > max_keys {limit} (k8s {ctx.kubernetes_version})",
                        ("data",))
