"""ACME004: reports the document it is judging and the namespace its deployer sets, from
its context alone (tests the plumbing: RuleContext.document, .deployed_namespace)."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation, rule


@rule(id="ACME004", severity="info", title="Judged document echo", kinds=("ConfigMap",))
def judged_document(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    doc = ctx.document
    where = f"{doc.path}#{doc.index}" if doc is not None and doc.data is resource else "?"
    yield Violation(f"{where} deployed into {ctx.deployed_namespace}", ("metadata",))
