"""The ci run's PR comment and job summary (report/comment.py): the first findings, and
where the rest are; the smaller body when the plan is too long for one comment."""
from __future__ import annotations

from gitops_guard.report.comment import FINDINGS_IN_COMMENT, comment_bodies, summary_parts
from gitops_guard.report.summary import fit_summary
from tests.report.test_markdown import _result, _rows


def test_comment_lists_the_first_findings_and_says_where_the_rest_are() -> None:
    result = _result(FINDINGS_IN_COMMENT + 3)
    (comment,) = comment_bodies(result, True, None, "", "")
    summary = "\n".join(summary_parts(result, True, None, "", ""))
    assert len(_rows(comment)) == 1 + FINDINGS_IN_COMMENT
    assert "*3 more findings are in the job summary and the SARIF report.*" in comment
    assert len(_rows(summary)) == 1 + FINDINGS_IN_COMMENT + 3


def test_the_job_summary_keeps_each_part_a_block_of_its_own() -> None:
    summary = fit_summary(summary_parts(_result(2), True, None, "", ""))
    assert summary.startswith("❌ **gitops-guard: failed**: ")
    assert "1 warning\n\n| | rule | where | message | resource |\n" in summary
