"""The text reporter: golden output on the bundled example repository, colour only when asked.

Regenerate after an intended change with: GITOPS_GUARD_REGEN=1 pytest tests/report
"""
from __future__ import annotations

from pathlib import Path

from tests.conftest import Golden, RunCli

EXAMPLE = Path(__file__).parents[2] / "examples" / "gitops-repo"


def test_example_report_matches_golden(run_cli: RunCli, golden: Golden) -> None:
    result = run_cli("-C", str(EXAMPLE), "check", "--no-builtin", "--color", "never")
    assert result.code == 1
    golden("example.txt", result.out)


def test_color_only_when_asked(run_cli: RunCli) -> None:
    plain = run_cli("-C", str(EXAMPLE), "check", "--no-builtin")
    colored = run_cli("-C", str(EXAMPLE), "check", "--no-builtin", "--color", "always")
    assert "\033[" not in plain.out
    assert "\033[31merror" in colored.out
