"""Golden outputs of the text and JSON reporters on the bundled example repository.

Regenerate after an intended change with: GITOPS_GUARD_REGEN=1 pytest tests/report
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Golden, RunCli

EXAMPLE = Path(__file__).parents[2] / "examples" / "gitops-repo"

@pytest.mark.parametrize(("fmt", "name"), [("text", "example.txt"), ("json", "example.json")])
def test_example_report_matches_golden(fmt: str, name: str, run_cli: RunCli,
                                       golden: Golden) -> None:
    result = run_cli("-C", str(EXAMPLE), "check", "--no-builtin", "-o", fmt, "--color", "never")
    assert result.code == 1
    golden(name, result.out)


def test_color_only_when_asked(run_cli: RunCli) -> None:
    plain = run_cli("-C", str(EXAMPLE), "check", "--no-builtin")
    colored = run_cli("-C", str(EXAMPLE), "check", "--no-builtin", "--color", "always")
    assert "\033[" not in plain.out
    assert "\033[31merror" in colored.out


def test_output_file(tmp_path: Path, run_cli: RunCli) -> None:
    target = tmp_path / "report.json"
    result = run_cli("-C", str(EXAMPLE), "check", "--no-builtin", "-o", "json",
                     "--output-file", str(target))
    assert result.out == ""
    assert '"rule_id": "GG201"' in target.read_text()
