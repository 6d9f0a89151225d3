"""The ci run's PR comment and GitHub job summary: a verdict line, the findings table
(report/markdown.py), the suppressed findings, then the plan; the comment in tiers from most
to least detailed, for the host's size limit."""
from __future__ import annotations

from gitops_guard.model import CheckResult
from gitops_guard.plan.model import Plan
from gitops_guard.report.markdown import code_cell, findings_table
from gitops_guard.report.plan_common import no_changes_line
from gitops_guard.report.text import summary_line

FINDINGS_IN_COMMENT = 50
_ELSEWHERE = "the job summary and the SARIF report"


def verdict(result: CheckResult, failed: bool, plan: Plan | None) -> str:
    state = "❌ **gitops-guard: failed**" if failed else "✅ **gitops-guard: passed**"
    parts = [summary_line(result)]
    if result.suppressed:
        parts.append(f"{len(result.suppressed)} suppressed")
    if plan is not None:
        changed = sum(1 for env in plan.environments if env.changes)
        parts.append(f"{changed} of {len(plan.environments)} environment"
                     f"{'s' if len(plan.environments) != 1 else ''} change")
        if plan.unrendered:
            parts.append(f"{plan.unrendered} source{'s' if plan.unrendered != 1 else ''} "
                         "not rendered")
    return f"{state}: {'; '.join(parts)}"


def suppressed_table(result: CheckResult, limit: int | None) -> str:
    """Every finding a suppression hid in this run, with the suppression and its reason."""
    if not result.suppressed:
        return ""
    shown = result.suppressed if limit is None else result.suppressed[:limit]
    rows = [f"<details><summary>{len(result.suppressed)} finding"
            f"{'s' if len(result.suppressed) != 1 else ''} suppressed</summary>\n",
            "| rule | where | suppressed by | reason |", "|---|---|---|---|"]
    for h in shown:
        rows.append(f"| {code_cell(h.finding.rule_id)} | `{code_cell(str(h.finding.location))}` "
                    f"| {h.form} `{code_cell(h.rule)}` at `{code_cell(str(h.where))}` | "
                    f"{code_cell(h.reason)} |")
    if len(shown) < len(result.suppressed):
        rows.append(f"\n*{len(result.suppressed) - len(shown)} more are in {_ELSEWHERE}.*")
    rows.append("\n</details>")
    return "\n".join(rows)


def changed_resources_table(plan: Plan) -> str:
    """Every changed resource of every environment, without the field diffs."""
    rows = ["| environment | action | resource | risks |", "|---|---|---|---|"]
    for env in plan.environments:
        for change in env.changes:
            ident = change.identity
            name = f"{ident.kind} {ident.namespace + '/' if ident.namespace else ''}{ident.name}"
            risks = ", ".join(r.code for r in change.risks)
            rows.append(f"| {code_cell(env.name)} | {change.action} | {code_cell(name)} | "
                        f"{code_cell(risks)} |")
    return "\n".join(rows) if len(rows) > 2 else no_changes_line(plan)


def summary_parts(result: CheckResult, failed: bool, plan: Plan | None, plan_markdown: str,
                  link_base: str) -> list[str]:
    """The job summary: everything, no limits (report/summary.py fits it to GitHub's); each
    part a block of its own (a table straight under the verdict line would not render)."""
    parts = (verdict(result, failed, plan), findings_table(result.findings, link_base),
             suppressed_table(result, None), plan_markdown)
    return [part if part.endswith("\n") else part + "\n" for part in parts if part]


def comment_bodies(result: CheckResult, failed: bool, plan: Plan | None, plan_markdown: str,
                   link_base: str) -> list[str]:
    """Alternatives for the sticky comment, most detailed first."""
    head = verdict(result, failed, plan)
    table = findings_table(result.findings, link_base, FINDINGS_IN_COMMENT, _ELSEWHERE)
    top = "\n\n".join(p for p in (head, table, suppressed_table(result, FINDINGS_IN_COMMENT))
                      if p)
    if plan is None:
        return [top + "\n"]
    collapsed = (f"{top}\n\n### Plan\n\n{changed_resources_table(plan)}\n\n"
                 "*Field-level diffs are in the job summary (too long for one comment).*\n")
    return [f"{top}\n\n{plan_markdown}", collapsed]
