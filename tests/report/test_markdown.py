from __future__ import annotations

from tests.conftest import DATA, RunCli


def test_markdown_lists_findings_worst_first(run_cli: RunCli) -> None:
    result = run_cli("check", "--no-builtin",
                     "-o", "markdown", str(DATA / "check" / "deployment-bad.yaml"),
                     str(DATA / "bad" / "scalar.yaml"))
    lines = result.out.splitlines()
    assert lines[0] == "### gitops-guard check failed"
    rows = [line for line in lines if line.startswith("| :")]
    assert [row.split("|")[2].strip() for row in rows] == ["GG201", "GG202", "GG005"]
    assert "`tests/data/check/deployment-bad.yaml:12:3`" in rows[0]
