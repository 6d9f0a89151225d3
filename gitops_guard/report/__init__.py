"""Output formats, registered by name: one module per format, each rendering both what
`check` found and what `diff` plans (text, json, markdown); the ci run's PR comment and job
summary are in comment.py.

    REPORTERS[name](CheckResult, ReportOptions) -> str   # text json sarif junit github markdown
    PLAN_REPORTERS[name](Plan, color) -> str             # text json markdown
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from gitops_guard.model import CheckResult
from gitops_guard.plan.model import Plan
from gitops_guard.report.options import ReportOptions

Renderer = Callable[[CheckResult, ReportOptions], str]
PlanRenderer = Callable[[Plan, bool], str]


def _lazy(module: str, name: str) -> Callable[..., str]:
    """A renderer that imports its module on first use: a run imports one format, not six."""

    def render(*args: Any) -> str:
        renderer: Callable[..., str] = getattr(
            importlib.import_module(f"gitops_guard.report.{module}"), name)
        return renderer(*args)

    render.__name__ = render.__qualname__ = name
    return render


REPORTERS: dict[str, Renderer] = {
    "text": _lazy("text", "render_text"),
    "json": _lazy("json", "render_json"),
    "sarif": _lazy("sarif", "render_sarif"),
    "junit": _lazy("junit", "render_junit"),
    "github": _lazy("github", "render_github"),
    "markdown": _lazy("markdown", "render_markdown"),
}

PLAN_REPORTERS: dict[str, PlanRenderer] = {
    "text": _lazy("text", "render_plan_text"),
    "markdown": _lazy("markdown", "render_plan_markdown"),
    "json": _lazy("json", "render_plan_json"),
}

__all__ = ["PLAN_REPORTERS", "REPORTERS", "PlanRenderer", "Renderer", "ReportOptions"]
