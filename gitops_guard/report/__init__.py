"""Report formats, registered by name. Each renders a CheckResult to a string."""
from __future__ import annotations

import importlib
from collections.abc import Callable

from gitops_guard.model import CheckResult
from gitops_guard.report.options import ReportOptions

Renderer = Callable[[CheckResult, ReportOptions], str]


def _lazy(module: str, name: str) -> Renderer:
    """A renderer that imports its module on first use: a run imports one format, not six."""

    def render(result: CheckResult, options: ReportOptions) -> str:
        renderer: Renderer = getattr(importlib.import_module(module), name)
        return renderer(result, options)

    render.__name__ = render.__qualname__ = name
    return render


REPORTERS: dict[str, Renderer] = {
    "text": _lazy("gitops_guard.report.text", "render_text"),
    "json": _lazy("gitops_guard.report.json", "render_json"),
    "sarif": _lazy("gitops_guard.report.sarif", "render_sarif"),
    "junit": _lazy("gitops_guard.report.junit", "render_junit"),
    "github": _lazy("gitops_guard.report.github", "render_github"),
    "markdown": _lazy("gitops_guard.report.markdown", "render_markdown"),
}

__all__ = ["REPORTERS", "Renderer", "ReportOptions"]
