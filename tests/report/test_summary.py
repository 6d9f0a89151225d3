"""The GitHub job summary stays under GitHub's size limit: whole parts while they fit, then
the part that does not fit cut, an open code fence closed, and a line saying so."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.report.summary import fit_summary, write_summary

CUT = "truncated to stay under GitHub's 1 MiB job summary limit"


@pytest.mark.parametrize(("parts", "limit", "expect_start", "cut"), [
    (["# a", "b"], 1000, "# a\nb\n", False),
    (["# a", "x" * 500], 200, "# a\n" + "x" * 20, True),
    (["```diff\n+ x\n```", "y"], 200, "```diff\n+ x\n```\ny\n", False),
    (["head", "```diff\n" + "+ line\n" * 100], 300, "head\n```diff\n+ line", True),
])
def test_summary_fits_the_limit(parts: list[str], limit: int, expect_start: str,
                                cut: bool) -> None:
    out = fit_summary(parts, limit)
    assert len(out.encode()) <= limit
    assert out.startswith(expect_start)
    assert (CUT in out) is cut
    assert out.count("```") % 2 == 0


def test_a_multibyte_character_is_never_split(tmp_path: Path) -> None:
    out = fit_summary(["é" * 400], 300)
    out.encode().decode("utf-8")  # valid UTF-8
    assert CUT in out and len(out.encode()) <= 300


def test_write_summary_appends_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "summary.md"
    path.write_text("earlier step\n")
    write_summary(str(path), ["# gitops-guard"])
    assert path.read_text() == "earlier step\n# gitops-guard\n"
