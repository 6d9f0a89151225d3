"""Markdown, for a PR comment or a job summary. Findings: one table, worst first (the same
table in `check -o markdown`, the ci job summary and the PR comment; report/comment.py). A
plan: a summary table, risky changes, then one `<details>` block per environment set with
each resource's field diffs in ```diff fences."""
from __future__ import annotations

from urllib.parse import quote

from gitops_guard.model import CheckResult, Finding, Severity
from gitops_guard.plan.crossenv import Group, divergences, group_changes, sections
from gitops_guard.plan.model import Plan
from gitops_guard.report.escape import markdown_cell
from gitops_guard.report.options import ReportOptions
from gitops_guard.report.plan_common import (
    SYMBOLS,
    field_line,
    hidden_lines,
    masked_text,
    no_changes_line,
    plural,
    risk_summary,
    unrendered_heading,
    value,
)
from gitops_guard.report.text import summary_line

ICONS = {Severity.ERROR: "🛑", Severity.WARNING: "⚠️", Severity.INFO: "💬"}
PLAN_MARKER = "<!-- gitops-guard:plan -->"


def _cell(text: str) -> str:
    """Resource names, messages, notes: written by the change, so escaped (report/escape)."""
    return markdown_cell(text)


def code_cell(text: str) -> str:
    """A table cell inside a `code span`: escaped, and no backtick to close the span early."""
    return markdown_cell(text).replace("`", "'")


def _where(f: Finding, link_base: str) -> str:
    where = f"`{code_cell(str(f.location))}`"
    if link_base and f.location.line:
        return f"[{where}]({link_base}{quote(f.location.path)}#L{f.location.line})"
    return where


def findings_table(findings: list[Finding], link_base: str = "", limit: int | None = None,
                   more: str = "") -> str:
    """The findings table, worst first; past `limit` rows, one line says how many more and
    where they are (`more`)."""
    if not findings:
        return ""
    ordered = sorted(findings, key=lambda f: (-int(f.severity), f.sort_key()))
    shown = ordered if limit is None else ordered[:limit]
    rows = ["| | rule | where | message | resource |", "|---|---|---|---|---|"]
    for f in shown:
        env = f" (env {f.env})" if f.env else ""
        rows.append(f"| {ICONS[f.severity]} | {code_cell(f.rule_id)} | {_where(f, link_base)} "
                    f"| {code_cell(f.message + env)} | {code_cell(str(f.resource or ''))} |")
    if len(shown) < len(ordered):
        rows.append(f"\n*{len(ordered) - len(shown)} more findings are in {more}.*")
    return "\n".join(rows)


def render_markdown(result: CheckResult, options: ReportOptions) -> str:
    failed = any(f.severity is Severity.ERROR for f in result.findings)
    out = [f"### gitops-guard check {'failed' if failed else 'passed'}", "",
           summary_line(result), ""]
    table = findings_table(result.findings, options.link_base)
    return "\n".join([*out, table, ""] if table else out)


def _fence_safe(text: str) -> str:
    return text.replace("```", "`\u200b``")


def _diff_lines(group: Group) -> list[str]:
    lines: list[str] = []
    for f, where in group.fields:
        only = group.only(where)
        if f.op == "changed" and f.text_diff:
            lines.append(f"  {f.path}:{only}")
            lines.extend(f.text_diff)
        elif f.op == "changed":
            lines += [f"- {f.path}: {value(f.before)}{only}",
                      f"+ {f.path}: {value(f.after)}{only}"]
        elif f.op == "added":
            lines.append(f"+ {f.path}: {value(f.after)}{only}")
        elif f.op == "removed":
            lines.append(f"- {f.path}: {value(f.before)}{only}")
        elif f.op == "masked":
            lines.append(f"! {f.path}: {masked_text(f)}{only}")
        else:
            lines.append(f"! {field_line(f)}{only}")
    return [_fence_safe(line) for line in lines]


def render_plan_markdown(plan: Plan, color: bool = False) -> str:
    """The plan in Markdown (`color` is for the registry's signature: Markdown has none)."""
    against = f"base `{plan.base}`" if plan.against == "git" else f"`{plan.against}`"
    out = [PLAN_MARKER, f"### gitops-guard plan: working tree vs {against}", "",
           "| environment | added | changed | removed | unchanged | not rendered | risks |",
           "|---|---:|---:|---:|---:|---:|---|"]
    for env in plan.environments:
        risks = risk_summary(env)
        out.append(f"| {_cell(env.name)} | {env.count('added')} | "
                   f"{env.count('changed') + env.count('renamed')} | {env.count('removed')} | "
                   f"{env.unchanged} | {len(env.unrendered)} | "
                   f"{'⚠️ ' + _cell(risks) if risks else ''} |")
    groups = group_changes(plan)
    risky = [g for g in groups if g.risks]
    if risky:
        out += ["", "**Risky changes**", ""]
        for g in sorted(risky, key=lambda g: -g.risk_level):
            for r, where in g.risks:
                icon = "🛑" if r.level > 1 else "⚠️"
                out.append(f"- {icon} `{r.code}` {_cell(g.label)} ({', '.join(where)}): "
                           f"{_cell(r.message)}")
    notes = [f"- {_cell(env.name)}: {_cell(line)}" for env in plan.environments for line in
             (*hidden_lines(env), *env.notes)]
    notes += [f"- {_cell(d.message)}" for d in divergences(plan)]
    if notes:
        out += ["", f"<details><summary>{plural(len(notes), 'note')}</summary>", "", *notes,
                "", "</details>"]
    for env in plan.environments:
        if env.unrendered:
            out += ["", f"<details><summary>{_cell(env.name)}: {unrendered_heading(env)}"
                    "</summary>", "", *(f"- {_cell(line)}" for line in env.unrendered), "",
                    "</details>"]
    for envs, items in sections(groups):
        out += ["", f"<details><summary><b>{_cell(', '.join(envs))}</b>: "
                f"{len(items)} resource{'s' if len(items) != 1 else ''}</summary>", ""]
        for g in items:
            c = g.change
            title = f"{SYMBOLS[c.action]} {g.label}"
            if c.renamed_from:
                title += f" (renamed from {c.renamed_from.name})"
            out.append(f"**{_cell(title)}** ({c.action})")
            out.extend(f"- {'🛑' if r.level > 1 else '⚠️'} {_cell(r.message)}{g.only(where)}"
                       for r, where in g.risks)
            if g.fields:
                out += ["", "```diff", *_diff_lines(g), "```"]
            out.append("")
        out.append("</details>")
    if not plan.has_changes:
        out += ["", no_changes_line(plan)]
    return "\n".join(out) + "\n"
