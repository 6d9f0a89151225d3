"""Machine-readable output. The shape is documented in the README and versioned."""
from __future__ import annotations

import json
from typing import Any

from gitops_guard.model import CheckResult, Finding, Severity
from gitops_guard.report.options import ReportOptions

SCHEMA_VERSION = 1


def finding_dict(f: Finding) -> dict[str, Any]:
    r = f.resource
    return {
        "rule_id": f.rule_id,
        "severity": f.severity.label,
        "message": f.message,
        "path": f.location.path,
        "line": f.location.line,
        "column": f.location.column,
        "field": f.field_path or None,
        "resource": None if r is None else {
            "apiVersion": r.api_version, "kind": r.kind,
            "namespace": r.namespace or None, "name": r.name,
        },
        "source": f.source,
        "env": f.env,
        "doc_url": f.doc_url or None,
    }


def render_json(result: CheckResult, options: ReportOptions) -> str:
    counts = {s.label: 0 for s in Severity}
    for f in (*result.findings, *result.unlisted):  # --min-severity: counted, not listed
        counts[f.severity.label] += 1
    payload = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "gitops-guard", "version": options.tool_version},
        "kubernetes_version": options.kubernetes_version,
        "summary": {"files": result.files, "resources": result.resources, **counts,
                    **({"not_listed": len(result.unlisted)} if result.unlisted else {})},
        "findings": [finding_dict(f) for f in result.findings],
    }
    return json.dumps(payload, indent=2) + "\n"
