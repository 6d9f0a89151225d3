"""Report formats, registered by name. Each renders a CheckResult to a string."""
from __future__ import annotations

from collections.abc import Callable

from gitops_guard.model import CheckResult
from gitops_guard.report.github import render_github
from gitops_guard.report.json import render_json
from gitops_guard.report.junit import render_junit
from gitops_guard.report.markdown import render_markdown
from gitops_guard.report.options import ReportOptions
from gitops_guard.report.sarif import render_sarif
from gitops_guard.report.text import render_text

Renderer = Callable[[CheckResult, ReportOptions], str]

REPORTERS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "junit": render_junit,
    "github": render_github,
    "markdown": render_markdown,
}

__all__ = ["REPORTERS", "Renderer", "ReportOptions"]
