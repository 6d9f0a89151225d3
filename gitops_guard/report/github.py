"""GitHub workflow commands (`::error file=...`), within GitHub's limits.

GitHub shows at most 10 annotations of each type per step, so the most severe come
first and one closing line says how many more are in the SARIF file and job summary.
"""
from __future__ import annotations

from gitops_guard.model import CheckResult, Finding, Severity
from gitops_guard.report.options import ReportOptions

PER_TYPE_LIMIT = 10
_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    props = [f"file={_escape_property(f.location.path)}"]
    if f.location.line:
        props.append(f"line={f.location.line}")
    if f.location.column:
        props.append(f"col={f.location.column}")
    title = f"{f.rule_id} {f.resource}" if f.resource else f.rule_id
    props.append(f"title={_escape_property(title)}")
    return f"::{_COMMANDS[f.severity]} {','.join(props)}::{_escape_data(f.message)}"


def render_github(result: CheckResult, options: ReportOptions) -> str:
    lines: list[str] = []
    hidden = 0
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        of_type = [f for f in result.findings if f.severity == severity]
        lines.extend(annotation(f) for f in of_type[:PER_TYPE_LIMIT])
        hidden += max(0, len(of_type) - PER_TYPE_LIMIT)
    if hidden:
        lines.append(f"::notice title=gitops-guard::{hidden} more findings are not annotated "
                     "(GitHub shows 10 per type); see the SARIF report and the job summary")
    return "\n".join(lines) + ("\n" if lines else "")
