"""Markdown findings: one table, worst first, the same in `check -o markdown`, the ci job
summary and the PR comment.

Regenerate the golden file after an intended change with: GITOPS_GUARD_REGEN=1 pytest tests/report
"""
from __future__ import annotations

from pathlib import Path

from gitops_guard.model import CheckResult, Finding, Location, ResourceKey, Severity
from gitops_guard.report import REPORTERS, ReportOptions
from gitops_guard.report.comment import comment_bodies, summary_parts
from tests.conftest import DATA, Golden, RunCli

EXAMPLE = Path(__file__).parents[2] / "examples" / "gitops-repo"
LINKS = "https://github.example.com/o/r/blob/abc/"


def _rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("| ")]


def _result(n: int) -> CheckResult:
    findings = [Finding("GG201", Severity.ERROR if i % 2 else Severity.WARNING, f"bad {i}",
                        Location("apps/a.yaml", i + 1, 3), env="staging",
                        resource=ResourceKey("apps/v1", "Deployment", "shop", "web"))
                for i in range(n)]
    return CheckResult(findings, 1, n, ("apps/a.yaml",))


def test_example_markdown_matches_golden(run_cli: RunCli, golden: Golden) -> None:
    result = run_cli("-C", str(EXAMPLE), "check", "--no-builtin", "-o", "markdown")
    assert result.code == 1
    golden("example.md", result.out)


def test_markdown_lists_findings_worst_first(run_cli: RunCli) -> None:
    result = run_cli("check", "--no-builtin",
                     "-o", "markdown", str(DATA / "check" / "deployment-bad.yaml"),
                     str(DATA / "bad" / "scalar.yaml"))
    lines = result.out.splitlines()
    assert lines[0] == "### gitops-guard check failed"
    rows = _rows(result.out)[1:]
    assert [row.split("|")[2].strip() for row in rows] == ["GG201", "GG202", "GG005"]
    assert rows[0].startswith("| 🛑 |")
    assert "`tests/data/check/deployment-bad.yaml:12:3`" in rows[0]


def test_check_summary_and_comment_share_one_findings_table() -> None:
    result = _result(3)
    check = REPORTERS["markdown"](result, ReportOptions(link_base=LINKS))
    (comment,) = comment_bodies(result, True, None, "", LINKS)
    summary = "\n".join(summary_parts(result, True, None, "", LINKS))
    assert _rows(check) == _rows(comment) == _rows(summary)
    assert _rows(check)[1] == ("| 🛑 | GG201 | [`apps/a.yaml:2:3`](" + LINKS + "apps/a.yaml#L2) "
                               "| bad 1 (env staging) | Deployment shop/web |")
