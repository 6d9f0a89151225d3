"""GG407: CronJobs should choose what happens when runs overlap."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation, rule


@rule(
    id="GG407",
    severity="info",
    title="CronJob concurrencyPolicy not set",
    why="The default, Allow, starts a new run while the previous one is still going; slow runs "
        "then pile up and double-process the same data.",
    fix="Set `spec.concurrencyPolicy: Forbid` (skip a run) or `Replace`; keep `Allow` "
        "explicitly when overlapping runs are safe.",
    kinds=("CronJob",),
    example="spec:\n  concurrencyPolicy: Forbid",
    doc_url="https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/"
            "#concurrency-policy",
)
def cronjob_concurrency(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    spec = resource.get("spec")
    if isinstance(spec, dict) and "concurrencyPolicy" not in spec:
        yield Violation(f'CronJob "{_name(resource)}" does not set concurrencyPolicy (default '
                        "Allow runs overlapping jobs)", ("spec",))


def _name(resource: Mapping[str, Any]) -> str:
    meta = resource.get("metadata")
    return str(meta.get("name", "?")) if isinstance(meta, dict) else "?"
