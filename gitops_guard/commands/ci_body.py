"""The PR comment and job summary of `gitops-guard ci`, in tiers from most to least detailed."""
from __future__ import annotations

from urllib.parse import quote

from gitops_guard.model import CheckResult, Finding, Severity
from gitops_guard.plan.model import Plan
from gitops_guard.plan.output.common import no_changes_line
from gitops_guard.report.escape import markdown_cell
from gitops_guard.report.text import summary_line

_ICONS = {Severity.ERROR: "🛑", Severity.WARNING: "⚠️", Severity.INFO: "💬"}
FINDINGS_IN_COMMENT = 50


def _cell(text: str) -> str:
    return markdown_cell(text).replace("`", "'")


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


def findings_table(findings: list[Finding], link_base: str, limit: int | None) -> str:
    if not findings:
        return ""
    ordered = sorted(findings, key=lambda f: (-int(f.severity), f.sort_key()))
    shown = ordered if limit is None else ordered[:limit]
    rows = ["| | rule | where | message |", "|---|---|---|---|"]
    for f in shown:
        where = _cell(str(f.location))
        if link_base and f.location.line:
            where = f"[`{where}`]({link_base}{quote(f.location.path)}#L{f.location.line})"
        else:
            where = f"`{where}`"
        env = f" (env {f.env})" if f.env else ""
        rows.append(f"| {_ICONS[f.severity]} | {_cell(f.rule_id)} | {where} | "
                    f"{_cell(f.message)}{_cell(env)} |")
    if len(shown) < len(ordered):
        rows.append(f"\n*{len(ordered) - len(shown)} more findings are in the job summary "
                    "and the SARIF report.*")
    return "\n".join(rows)


def suppressed_table(result: CheckResult, limit: int | None) -> str:
    """Every finding a suppression hid in this run, with the suppression and its reason."""
    if not result.suppressed:
        return ""
    shown = result.suppressed if limit is None else result.suppressed[:limit]
    rows = [f"<details><summary>{len(result.suppressed)} finding"
            f"{'s' if len(result.suppressed) != 1 else ''} suppressed</summary>\n",
            "| rule | where | suppressed by | reason |", "|---|---|---|---|"]
    for h in shown:
        rows.append(f"| {_cell(h.finding.rule_id)} | `{_cell(str(h.finding.location))}` | "
                    f"{h.form} `{_cell(h.rule)}` at `{_cell(str(h.where))}` | "
                    f"{_cell(h.reason)} |")
    if len(shown) < len(result.suppressed):
        rows.append(f"\n*{len(result.suppressed) - len(shown)} more are in the job summary "
                    "and the SARIF report.*")
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
            rows.append(f"| {_cell(env.name)} | {change.action} | {_cell(name)} | "
                        f"{_cell(risks)} |")
    return "\n".join(rows) if len(rows) > 2 else no_changes_line(plan)


def comment_bodies(result: CheckResult, failed: bool, plan: Plan | None, plan_markdown: str,
                   link_base: str) -> list[str]:
    """Alternatives for the sticky comment, most detailed first."""
    head = verdict(result, failed, plan)
    table = findings_table(result.findings, link_base, FINDINGS_IN_COMMENT)
    top = "\n\n".join(p for p in (head, table, suppressed_table(result, FINDINGS_IN_COMMENT))
                      if p)
    if plan is None:
        return [top + "\n"]
    collapsed = (f"{top}\n\n### Plan\n\n{changed_resources_table(plan)}\n\n"
                 "*Field-level diffs are in the job summary (too long for one comment).*\n")
    return [f"{top}\n\n{plan_markdown}", collapsed]
