"""Terminal output. Findings: grouped by file as `path:line:col`, then one summary line
(and, when Rego policies ran, conftest's tally line: `5 tests, 4 passed, 1 warning, ...`).
A plan: per-environment counts, then changes grouped by environment set."""
from __future__ import annotations

from itertools import groupby

from gitops_guard.model import CheckResult, Finding, Severity
from gitops_guard.plan.crossenv import divergences, group_changes, sections
from gitops_guard.plan.model import ADDED, CHANGED, REMOVED, RENAMED, Plan
from gitops_guard.report.escape import terminal_text
from gitops_guard.report.options import ReportOptions
from gitops_guard.report.plan_common import (
    SYMBOLS,
    counts,
    field_line,
    hidden_lines,
    no_changes_line,
    plural,
    unrendered_heading,
)

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}
_ACTION_COLORS = {ADDED: "32", CHANGED: "33", RENAMED: "36", REMOVED: "31"}
_LABELS = {s: f"{s.label:<7}" for s in Severity}  # a fleet's merge lists tens of thousands


def _paint(text: str, code: str, color: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if color else text


def _line(f: Finding, color: bool) -> str:
    resource = f"  [{f.resource}]" if f.resource else ""
    env = f"  (env {f.env})" if f.env else ""
    if not color:  # the label holds no control character: one pass over the line
        return terminal_text(f"  {f.location}: {_LABELS[f.severity]} "
                             f"{f.rule_id}  {f.message}{resource}{env}")
    sev = _paint(_LABELS[f.severity], _COLORS[f.severity], color)
    return terminal_text(f"  {f.location}: ") + f"{sev} " + terminal_text(
        f"{f.rule_id}  {f.message}{resource}{env}")


def summary_line(result: CheckResult) -> str:
    counts = {s: 0 for s in Severity}
    for f in (*result.findings, *result.unlisted):
        counts[f.severity] += 1
    parts = [
        plural(result.files, "file"),
        plural(result.resources, "resource"),
        plural(counts[Severity.ERROR], "error"),
        plural(counts[Severity.WARNING], "warning"),
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
    if result.tally is not None:  # conftest's last line, for those who read it
        out.append(str(result.tally))
    return "\n".join(out) + "\n"


def render_plan_text(plan: Plan, color: bool = False) -> str:
    against = f"base {plan.base}" if plan.against == "git" else plan.against
    out = [_paint(f"Plan: working tree vs {against}", "1", color), ""]
    for env in plan.environments:
        out.append(f"{_paint(env.name, '1', color)}: {counts(env)}")
        out.extend(f"  {line}" for line in hidden_lines(env))
        if env.unrendered:
            out.append(f"  {unrendered_heading(env)}:")
            out.extend(f"    - {line}" for line in env.unrendered)
        out.extend(f"  note: {n}" for n in env.notes)
    for envs, groups in sections(group_changes(plan)):
        out += ["", _paint(f"== {', '.join(envs)} ==", "1", color)]
        for g in groups:
            c = g.change
            head = f"{SYMBOLS[c.action]} {g.label}"
            if c.renamed_from:
                head += f" (renamed from {c.renamed_from.name})"
            if c.before_api_version and c.before_api_version != c.api_version:
                head += f" ({c.before_api_version} → {c.api_version})"
            out.append(_paint(head, _ACTION_COLORS[c.action], color))
            for r, where in g.risks:
                out.append("    " + _paint(f"! {r.code}: {r.message}{g.only(where)}",
                                           "1;31" if r.level > 1 else "35", color))
            for f, where in g.fields:
                out.append(f"    {field_line(f)}{g.only(where)}")
                out.extend(f"      {line}" for line in f.text_diff)
    notes = divergences(plan)
    if notes:
        out += ["", _paint("Divergences between environments:", "1", color)]
        out.extend(f"  {d.message}" for d in notes)
    if not plan.has_changes:
        out += ["", no_changes_line(plan)]
    return "\n".join(out) + "\n"
