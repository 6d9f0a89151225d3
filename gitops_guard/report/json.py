"""Machine-readable output, versioned. Findings: `version: 1` (docs/outputs.md). A plan:
`schema: gitops-guard/plan/v1` (fields are only ever added):

    {schema, base: REF|null, against: git|live|snapshot, has_changes: bool,
     environments: [{name, kind, summary: {added, changed, renamed, removed, unchanged},
                     hidden: {noise-rule: count}, notes: [str],
                     not_rendered: [str],          # sources not rendered, with the reason
                     changes: [{id: {group, kind, namespace, name}, action,
                                api_version, before_api_version|null, renamed_from: id|null,
                                source, risk_level: 0|1|2, risks: [{code, level, message}],
                                fields: [{path, op: changed|added|removed|reordered|masked,
                                          before, after, before_bytes?, after_bytes?,
                                          text_diff?: [str]}]}]}],
     shared: [{envs: [str], id, action}],          # one change landing in several envs
     divergences: [{group, kind, name, envs, message}]}

Masked fields carry byte lengths only (before/after are null).
"""
from __future__ import annotations

import json
from typing import Any

from gitops_guard.model import CheckResult, Finding, Severity
from gitops_guard.plan.crossenv import divergences, group_changes
from gitops_guard.plan.model import ACTIONS, FieldChange, Identity, Plan, ResourceChange
from gitops_guard.report.options import ReportOptions

SCHEMA_VERSION = 1
PLAN_SCHEMA = "gitops-guard/plan/v1"


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



def _id(ident: Identity) -> dict[str, str]:
    return {"group": ident.group, "kind": ident.kind, "namespace": ident.namespace,
            "name": ident.name}


def _field(f: FieldChange) -> dict[str, Any]:
    out: dict[str, Any] = {"path": f.path, "op": f.op}
    if f.op == "masked":
        out.update(before=None, after=None, before_bytes=f.before, after_bytes=f.after)
    else:
        out.update(before=f.before, after=f.after)
    if f.text_diff:
        out["text_diff"] = list(f.text_diff)
    return out


def _change(c: ResourceChange) -> dict[str, Any]:
    return {
        "id": _id(c.identity),
        "action": c.action,
        "api_version": c.api_version,
        "before_api_version": c.before_api_version or None,
        "renamed_from": _id(c.renamed_from) if c.renamed_from else None,
        "source": c.source,
        "risk_level": c.risk_level,
        "risks": [{"code": r.code, "level": r.level, "message": r.message} for r in c.risks],
        "fields": [_field(f) for f in c.fields],
    }


def plan_dict(plan: Plan) -> dict[str, Any]:
    envs = []
    for env in plan.environments:
        summary = {a: env.count(a) for a in ACTIONS}
        summary["unchanged"] = env.unchanged
        envs.append({"name": env.name, "kind": env.kind, "summary": summary,
                     "hidden": dict(sorted(env.hidden.items())), "notes": env.notes,
                     "not_rendered": env.unrendered,
                     "changes": [_change(c) for c in env.changes]})
    shared = [{"envs": list(g.envs), "id": _id(g.change.identity), "action": g.change.action}
              for g in group_changes(plan) if len(g.envs) > 1]
    return {
        "schema": PLAN_SCHEMA,
        "base": plan.base or None,
        "against": plan.against,
        "has_changes": plan.has_changes,
        "environments": envs,
        "shared": shared,
        "divergences": [{"group": d.group, "kind": d.kind, "name": d.name, "envs": list(d.envs),
                         "message": d.message} for d in divergences(plan)],
    }


def render_plan_json(plan: Plan, color: bool = False) -> str:
    """The plan as JSON (`color` is for the registry's signature)."""
    return json.dumps(plan_dict(plan), indent=2, ensure_ascii=False) + "\n"
