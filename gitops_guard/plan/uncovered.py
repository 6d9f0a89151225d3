"""Changed files the repo-wide plan cannot show, named instead of planned as "No changes.".

With no environment configured, the plan is the repository's plain manifests (`repo`,
plan/sources.py). A Helm chart's files (templates, values, Chart.yaml) are not manifests:
what they deploy is known only once an environment renders the chart, as Argo CD renders
an app-of-apps chart. A change to them is listed as not rendered, once per chart, with
what to do about it.
"""
from __future__ import annotations

from pathlib import Path, PurePosixPath

from gitops_guard.render.findings import SOURCE_SKIPPED

CHART_FILE = "Chart.yaml"


def chart_of(path: str, root: Path) -> str | None:
    """The repo-relative dir of the Helm chart holding `path`, else None."""
    for parent in PurePosixPath(path).parents:
        if str(parent) != "." and (root / parent / CHART_FILE).is_file():
            return parent.as_posix()
    return None


def unplanned_charts(root: Path, base: str) -> list[str]:
    """One "file: what: why" line per chart with changed files, for the plan's list of
    sources not rendered."""
    # Imported here: gitops_guard.changes imports the plan package (gittree) itself.
    from gitops_guard.changes import changed_files

    charts: dict[str, list[str]] = {}
    for path in changed_files(root, base):
        chart = chart_of(path, root)
        if chart is not None:
            charts.setdefault(chart, []).append(path)
    return [f"{chart}/{CHART_FILE}: Helm chart {chart} ({len(files)} changed "
            f"file{'s' if len(files) != 1 else ''}: "
            f"{', '.join(files[:3])}{', ...' if len(files) > 3 else ''}): no environment "
            "renders it, so what it deploys is not planned; add one to .gitops-guard.yaml "
            f"(`gitops-guard init` proposes app-of-apps charts) ({SOURCE_SKIPPED})"
            for chart, files in sorted(charts.items())]
