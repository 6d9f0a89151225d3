"""Terminal output: findings grouped by file as `path:line:col`, then one summary line."""
from __future__ import annotations

from itertools import groupby

from gitops_guard.model import CheckResult, Finding, Severity
from gitops_guard.report.escape import terminal_text
from gitops_guard.report.options import ReportOptions

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if color else text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _line(f: Finding, color: bool) -> str:
    sev = _paint(f"{f.severity.label:<7}", _COLORS[f.severity], color)
    resource = f"  [{f.resource}]" if f.resource else ""
    env = f"  (env {f.env})" if f.env else ""
    return terminal_text(f"  {f.location}: ") + f"{sev} " + terminal_text(
        f"{f.rule_id}  {f.message}{resource}{env}")


def summary_line(result: CheckResult) -> str:
    counts = {s: 0 for s in Severity}
    for f in (*result.findings, *result.unlisted):
        counts[f.severity] += 1
    parts = [
        _plural(result.files, "file"),
        _plural(result.resources, "resource"),
        _plural(counts[Severity.ERROR], "error"),
        _plural(counts[Severity.WARNING], "warning"),
    ]
    if counts[Severity.INFO]:
        parts.append(f"{counts[Severity.INFO]} info")
    if result.baselined:
        parts.append(f"{result.baselined} hidden by baseline")
    if result.unlisted:
        parts.append(f"{len(result.unlisted)} below --min-severity not listed")
    return ", ".join(parts)


def render_text(result: CheckResult, options: ReportOptions) -> str:
    out: list[str] = []
    for path, group in groupby(result.findings, key=lambda f: f.location.path):
        out.append(_paint(terminal_text(path), "1", options.color))
        out.extend(_line(f, options.color) for f in group)
        out.append("")
    out.append(summary_line(result))
    return "\n".join(out) + "\n"
