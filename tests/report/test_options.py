"""Report options (report/options.py): when output is coloured, and which docs a finding's
rule gets (loaded policies, then the core table, then the finding itself)."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.catalog import RuleDoc
from gitops_guard.model import Finding, Location, Severity
from gitops_guard.report.options import ReportOptions, use_color
from tests.conftest import RunCli

ESC = "\x1b["


@pytest.mark.parametrize(("choice", "to_file", "tty", "no_color", "colored"), [
    ("always", True, False, True, True),
    ("never", False, True, False, False),
    ("auto", False, True, False, True),
    ("auto", False, False, False, False),  # a pipe
    ("auto", True, True, False, False),  # --output-file
    ("auto", False, True, True, False),  # NO_COLOR
])
def test_use_color(monkeypatch: pytest.MonkeyPatch, choice: str, to_file: bool, tty: bool,
                   no_color: bool, colored: bool) -> None:
    monkeypatch.setattr("sys.stdout.isatty", lambda: tty)
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color(choice, to_file) is colored


@pytest.mark.parametrize(("choice", "colored"), [("always", True), ("never", False),
                                                 ("auto", False)])
def test_color_flag_in_check_output(run_cli: RunCli, tmp_path: Path, choice: str,
                                    colored: bool) -> None:
    (tmp_path / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    result = run_cli("check", "--color", choice, str(tmp_path / "cm.yaml"))
    assert "GG505" in result.out
    assert (ESC in result.out) is colored


def _finding(rule_id: str) -> Finding:
    return Finding(rule_id, Severity.WARNING, "m", Location("f.yaml", 1, 1),
                   doc_url="https://example.com/from-finding")


@pytest.mark.parametrize(("rule_id", "title", "url"), [
    ("ACME-1", "Loaded policy", "https://example.com/acme-1"),  # a loaded policy's docs
    ("GG001", "Invalid YAML or JSON", ""),  # the core table
    ("main/deny", "main/deny", "https://example.com/from-finding"),  # the finding itself
])
def test_rule_doc_order(rule_id: str, title: str, url: str) -> None:
    options = ReportOptions(rule_docs={"ACME-1": RuleDoc(
        "ACME-1", Severity.ERROR, "Loaded policy", doc_url="https://example.com/acme-1")})
    doc = options.rule_doc(_finding(rule_id))
    assert (doc.id, doc.title, doc.doc_url) == (rule_id, title, url)
