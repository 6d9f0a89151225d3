"""SARIF 2.1.0 as GitHub code scanning accepts it: rules[] with help, repo-relative URIs,
regions, and partialFingerprints that survive moved lines."""
from __future__ import annotations

import hashlib
import json
from typing import Any

from gitops_guard.catalog import RuleDoc
from gitops_guard.model import CheckResult, Finding, Severity, SuppressedFinding
from gitops_guard.report.options import ReportOptions

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/gitops-guard/gitops-guard"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_RESULTS = "\0results\0"  # where the results go (no rule text holds a NUL)
_INDENT = " " * 8  # runs[0].results[i]
_str = json.encoder.encode_basestring_ascii  # C, as json.dumps writes strings


def fingerprint(f: Finding, resource: str | None = None) -> str:
    """Stable across runs and line moves: rule, file, resource and field, not the line.
    `resource`: str(f.resource or ""), when the caller has it."""
    if resource is None:
        resource = str(f.resource or "")
    key = "\0".join((f.rule_id, f.location.path, resource, f.field_path,
                     f.env or "", f.message if not f.field_path else ""))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _family(rule_id: str) -> str:
    if rule_id.startswith("GG") and rule_id[2:].isdigit():
        return {"0": "load", "1": "render", "2": "schema"}.get(rule_id[2], "policy")
    return "policy"


def _rule(doc: RuleDoc) -> dict[str, Any]:
    help_md = "\n\n".join(p for p in (
        f"**{doc.title}**", doc.why and f"Why: {doc.why}", doc.fix and f"Fix: {doc.fix}") if p)
    rule: dict[str, Any] = {
        "id": doc.id,
        "name": doc.title,
        "shortDescription": {"text": doc.title},
        "fullDescription": {"text": doc.why or doc.title},
        "help": {"text": " ".join(p for p in (doc.why, doc.fix) if p) or doc.title,
                 "markdown": help_md},
        "defaultConfiguration": {"level": _LEVELS[doc.severity]},
        "properties": {"tags": ["gitops-guard", _family(doc.id)], "precision": "very-high"},
    }
    if doc.doc_url:
        rule["helpUri"] = doc.doc_url
    return rule


def _result(f: Finding, index: int) -> dict[str, Any]:
    region = {"startLine": max(f.location.line, 1)}
    if f.location.column:
        region["startColumn"] = f.location.column
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": index,
        "level": _LEVELS[f.severity],
        "message": {"text": f.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": f.location.path, "uriBaseId": "%SRCROOT%"},
            "region": region,
        }}],
        "partialFingerprints": {"gitopsGuard/v1": fingerprint(f)},
    }
    props = {k: v for k, v in (("resource", str(f.resource) if f.resource else None),
                               ("field", f.field_path or None), ("env", f.env)) if v}
    if props:
        result["properties"] = props
    return result


def _result_json(f: Finding, index: int) -> str:
    """`json.dumps(_result(f, index))`, written directly (the hot path of a big run)."""
    loc = f.location
    column = f', "startColumn": {int(loc.column)}' if loc.column else ""
    resource = str(f.resource) if f.resource else ""
    props = [(k, v) for k, v in (("resource", resource), ("field", f.field_path),
                                 ("env", f.env)) if v]
    extra = (', "properties": {' + ", ".join(f'"{k}": {_str(v)}' for k, v in props) + "}"
             if props else "")
    return (f'{{"ruleId": {_str(f.rule_id)}, "ruleIndex": {int(index)}, '
            f'"level": "{_LEVELS[f.severity]}", "message": {{"text": {_str(f.message)}}}, '
            f'"locations": [{{"physicalLocation": {{"artifactLocation": {{"uri": '
            f'{_str(loc.path)}, "uriBaseId": "%SRCROOT%"}}, "region": {{"startLine": '
            f'{max(int(loc.line), 1)}{column}}}}}}}], "partialFingerprints": '
            f'{{"gitopsGuard/v1": "{fingerprint(f, resource)}"}}{extra}}}')


def _suppressed(hidden: SuppressedFinding, index: int) -> dict[str, Any]:
    """A finding a suppression hid: a result with `suppressions` (code scanning shows it
    as dismissed, with the reason)."""
    out = _result(hidden.finding, index)
    where = hidden.where
    out["suppressions"] = [{
        "kind": "external" if hidden.form == "config" else "inSource",
        "status": "accepted",
        "justification": hidden.reason,
        "location": {"physicalLocation": {
            "artifactLocation": {"uri": where.path, "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": max(where.line, 1)}}},
        "properties": {"form": hidden.form, "rule": hidden.rule},
    }]
    return out


def render_sarif(result: CheckResult, options: ReportOptions) -> str:
    order: dict[str, int] = {}
    rules: list[dict[str, Any]] = []
    for f in [*result.findings, *(h.finding for h in result.suppressed)]:
        if f.rule_id not in order:
            order[f.rule_id] = len(rules)
            rules.append(_rule(options.rule_doc(f)))
    payload = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "gitops-guard",
                "semanticVersion": options.tool_version or "0.0.0",
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": _RESULTS,
        }],
    }
    # One result per line, as json.dumps(result) writes it: indent=2 would take json's
    # pure-Python encoder, seconds for a fleet's tens of thousands of results.
    results = [*(_result_json(f, order[f.rule_id]) for f in result.findings),
               *(json.dumps(_suppressed(h, order[h.finding.rule_id]))
                 for h in result.suppressed)]
    head, tail = json.dumps(payload, indent=2).split(json.dumps(_RESULTS), 1)
    lines = ",\n".join(f"{_INDENT}{r}" for r in results)
    return f"{head}[\n{lines}\n{_INDENT[:-2]}]{tail}\n" if results else f"{head}[]{tail}\n"
