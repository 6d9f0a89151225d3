"""plan stage (design.md §2): what will change in each environment if this merges.

    build_plan(PlanOptions, Config) -> Plan      # base/live/snapshot vs working tree
    diff_objects(before, after, settings, env)   # the engine, on plain objects

Its output formats are in report/ (PLAN_REPORTERS), beside the findings formats.
"""
from __future__ import annotations

from gitops_guard.plan.build import PlanOptions, build_plan
from gitops_guard.plan.engine import DiffSettings, diff_objects
from gitops_guard.plan.model import EnvPlan, FieldChange, Plan, ResourceChange, Risk

__all__ = [
    "DiffSettings", "EnvPlan", "FieldChange", "Plan", "PlanOptions", "ResourceChange", "Risk",
    "build_plan", "diff_objects",
]
