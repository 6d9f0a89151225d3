"""GG408: CronJobs should bound how late a missed run may start."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation, rule


@rule(
    id="GG408",
    severity="info",
    title="CronJob startingDeadlineSeconds not set",
    why="Without a starting deadline the controller counts every missed schedule since the last "
        "run; after 100 misses (controller downtime, a long suspend) it stops scheduling the "
        "job at all.",
    fix="Set `spec.startingDeadlineSeconds` (e.g. 300) so that stale runs are skipped.",
    kinds=("CronJob",),
    example="spec:\n  startingDeadlineSeconds: 300",
    doc_url="https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/"
            "#job-creation",
)
def starting_deadline(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    spec = resource.get("spec")
    if isinstance(spec, dict) and spec.get("startingDeadlineSeconds") is None:
        yield Violation("CronJob does not set startingDeadlineSeconds", ("spec",))
