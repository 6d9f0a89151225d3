"""The text reporter: golden output on the bundled example repository, colour only when asked.

Regenerate after an intended change with: GITOPS_GUARD_REGEN=1 pytest tests/report
"""
from __future__ import annotations

from pathlib import Path

from tests.conftest import DATA, Golden, RunCli

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


CONFTEST_K8S = DATA / "rego" / "conftest_examples" / "kubernetes"


def test_a_rego_run_ends_with_conftests_tally_line(run_cli: RunCli, golden: Golden) -> None:
    # conftest's last line, its wording: 2 inputs x (the package's deny/violation/warn
    # rules), each a test that passed, warned or failed
    result = run_cli("-C", str(CONFTEST_K8S), "check", "--no-builtin", "--no-schema",
                     "--color", "never", "-p", "policy", "-d", "data", "deployment+service.yaml")
    assert result.code == 1
    golden("conftest_tally.txt", result.out)
