"""ACME006: a rule that raises while evaluating (tests GG040)."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation, rule


@rule(id="ACME006", severity="error", title="Explodes", kinds=("ConfigMap",))
def explodes(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    data = resource["data"]
    yield Violation(f"has {data['missing']}")
