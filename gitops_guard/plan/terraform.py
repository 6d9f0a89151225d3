"""Terraform environments: the resource_changes of a `terraform show -json` plan.

The plan is already a diff, so it is read from the working tree only. Sensitive
values (`before_sensitive` / `after_sensitive`) are masked like Secret data;
values only known after apply read `(known after apply)`. Deletes and replaces
are flagged.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gitops_guard.errors import GuardError
from gitops_guard.load.tfplan import is_terraform_plan
from gitops_guard.plan.engine import DiffSettings
from gitops_guard.plan.fields import diff_values
from gitops_guard.plan.masking import mask
from gitops_guard.plan.model import (
    ACTIONS,
    ADDED,
    CHANGED,
    REMOVED,
    EnvPlan,
    FieldChange,
    Identity,
    ResourceChange,
    Risk,
)

UNKNOWN = "(known after apply)"


class TerraformPlanError(GuardError):
    """The environment's file is not a readable `terraform show -json` plan."""


def _sensitive(value: Any, marks: Any) -> Any:
    if marks is True:
        return mask(json.dumps(value, sort_keys=True))
    if isinstance(marks, dict) and isinstance(value, dict):
        return {k: _sensitive(v, marks.get(k)) for k, v in value.items()}
    if isinstance(marks, list) and isinstance(value, list):
        return [_sensitive(v, marks[i] if i < len(marks) else None)
                for i, v in enumerate(value)]
    return value


def _unknown(value: Any, marks: Any) -> Any:
    if marks is True:
        return UNKNOWN
    if isinstance(marks, dict):
        base = dict(value) if isinstance(value, dict) else {}
        for k, m in marks.items():
            base[k] = _unknown(base.get(k), m)
        return base
    if isinstance(marks, list) and isinstance(value, list):
        return [_unknown(v, marks[i] if i < len(marks) else None) for i, v in enumerate(value)]
    return value


def read_plan(path: Path, shown: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_bytes())
    except OSError as exc:
        raise TerraformPlanError(f"{shown}: cannot read: {exc.strerror}") from None
    except ValueError as exc:
        raise TerraformPlanError(f"{shown}: not JSON: {exc}") from None
    if not is_terraform_plan(data):
        raise TerraformPlanError(f"{shown}: not a `terraform show -json` plan")
    return data  # type: ignore[no-any-return]


def terraform_plan(path: Path, shown: str, settings: DiffSettings, env: EnvPlan) -> EnvPlan:
    plan = read_plan(path, shown)
    changes: list[ResourceChange] = []
    for rc in plan.get("resource_changes") or []:
        change = rc.get("change") or {}
        actions = tuple(change.get("actions") or ())
        ident = Identity("terraform", str(rc.get("type", "")), "", str(rc.get("address", "")))
        before = _sensitive(change.get("before"), change.get("before_sensitive"))
        after = _sensitive(_unknown(change.get("after"), change.get("after_unknown")),
                           change.get("after_sensitive"))
        risks: tuple[Risk, ...] = ()
        fields: tuple[FieldChange, ...] = ()
        if actions == ("create",):
            action = ADDED
        elif actions == ("delete",):
            action = REMOVED
            risks = (Risk("terraform-delete", f"destroys {ident.name}", 2),)
        elif actions in (("update",), ("delete", "create"), ("create", "delete")):
            action = CHANGED
            fields = tuple(settings.noise.split(diff_values(before, after), env.hidden))
            if actions != ("update",):
                order = "destroy then create" if actions[0] == "delete" else \
                    "create then destroy"
                risks = (Risk("terraform-replace", f"replaces {ident.name} ({order})", 2),)
        else:  # no-op, read
            env.unchanged += 1
            continue
        changes.append(ResourceChange(ident, action, fields=fields, risks=risks, source=shown))
    rank = {a: i for i, a in enumerate(ACTIONS)}
    changes.sort(key=lambda c: (-c.risk_level, rank[c.action], c.identity))
    env.changes = changes
    return env
