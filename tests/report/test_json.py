"""The JSON reporter: its stable shape on the bundled example repository (golden), and
--output-file.

Regenerate after an intended change with: GITOPS_GUARD_REGEN=1 pytest tests/report
"""
from __future__ import annotations

from pathlib import Path

from tests.conftest import Golden, RunCli

EXAMPLE = Path(__file__).parents[2] / "examples" / "gitops-repo"


def test_example_report_matches_golden(run_cli: RunCli, golden: Golden) -> None:
    result = run_cli("-C", str(EXAMPLE), "check", "--no-builtin", "-o", "json")
    assert result.code == 1
    golden("example.json", result.out)


def test_output_file(tmp_path: Path, run_cli: RunCli) -> None:
    target = tmp_path / "report.json"
    result = run_cli("-C", str(EXAMPLE), "check", "--no-builtin", "-o", "json",
                     "--output-file", str(target))
    assert result.out == ""
    assert '"rule_id": "GG201"' in target.read_text()
