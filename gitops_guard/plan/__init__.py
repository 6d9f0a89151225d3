"""plan stage (design.md §2): what will change in each environment if this merges.

    build_plan(PlanOptions, Config) -> Plan      # base/live/snapshot vs working tree
    diff_objects(before, after, settings, env)   # the engine, on plain objects
    render_markdown(plan) -> str                 # the PR comment body
    FORMATS[name](plan, color) -> str            # text | markdown | json
"""
from __future__ import annotations

from gitops_guard.plan.build import PlanOptions, build_plan
from gitops_guard.plan.engine import DiffSettings, diff_objects
from gitops_guard.plan.model import EnvPlan, FieldChange, Plan, ResourceChange, Risk
from gitops_guard.plan.output import FORMATS
from gitops_guard.plan.output.json import render_json
from gitops_guard.plan.output.markdown import render_markdown
from gitops_guard.plan.output.text import render_text

__all__ = [
    "FORMATS", "DiffSettings", "EnvPlan", "FieldChange", "Plan", "PlanOptions", "ResourceChange",
    "Risk", "build_plan", "diff_objects", "render_json", "render_markdown", "render_text",
]
