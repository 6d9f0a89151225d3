"""Plan output formats, registered by name."""
from __future__ import annotations

from collections.abc import Callable

from gitops_guard.plan.model import Plan
from gitops_guard.plan.output.json import render_json
from gitops_guard.plan.output.markdown import render_markdown
from gitops_guard.plan.output.text import render_text

Formatter = Callable[[Plan, bool], str]

FORMATS: dict[str, Formatter] = {
    "text": render_text,
    "markdown": lambda plan, color: render_markdown(plan),
    "json": lambda plan, color: render_json(plan),
}
