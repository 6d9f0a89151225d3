"""Markdown: the findings part of the job summary and the PR comment, worst first."""
from __future__ import annotations

from urllib.parse import quote

from gitops_guard.model import CheckResult, Finding
from gitops_guard.report.escape import markdown_cell
from gitops_guard.report.options import ReportOptions
from gitops_guard.report.text import summary_line

_ICONS = {"error": ":x:", "warning": ":warning:", "info": ":information_source:"}


def _cell(text: str) -> str:
    return markdown_cell(text)


def _where(f: Finding, link_base: str) -> str:
    text = markdown_cell(str(f.location)).replace("`", "'")
    if link_base and f.location.line:
        return f"[`{text}`]({link_base}{quote(f.location.path)}#L{f.location.line})"
    return f"`{text}`"


def render_markdown(result: CheckResult, options: ReportOptions) -> str:
    findings = sorted(result.findings, key=lambda f: (-int(f.severity), f.sort_key()))
    verdict = "failed" if any(f.severity.label == "error" for f in findings) else "passed"
    out = [f"### gitops-guard check {verdict}", "", summary_line(result), ""]
    if findings:
        out += ["| | rule | where | message | resource |", "|---|---|---|---|---|"]
        for f in findings:
            out.append(
                f"| {_ICONS[f.severity.label]} | {_cell(f.rule_id)} | "
                f"{_where(f, options.link_base)} "
                f"| {_cell(f.message)} | {_cell(str(f.resource or ''))} |")
        out.append("")
    return "\n".join(out)
