"""JSON: a stable shape, `schema: gitops-guard/plan/v1` (fields are only ever added).

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

from gitops_guard.plan.crossenv import divergences, group_changes
from gitops_guard.plan.model import ACTIONS, FieldChange, Identity, Plan, ResourceChange

SCHEMA = "gitops-guard/plan/v1"


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
        "schema": SCHEMA,
        "base": plan.base or None,
        "against": plan.against,
        "has_changes": plan.has_changes,
        "environments": envs,
        "shared": shared,
        "divergences": [{"group": d.group, "kind": d.kind, "name": d.name, "envs": list(d.envs),
                         "message": d.message} for d in divergences(plan)],
    }


def render_json(plan: Plan) -> str:
    return json.dumps(plan_dict(plan), indent=2, ensure_ascii=False) + "\n"
