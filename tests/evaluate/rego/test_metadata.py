"""OPA METADATA annotations (metadata.py): what a block gives a finding, and a bad block
named at its file and line."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.evaluate.options import RegoOptions
from gitops_guard.evaluate.rego import evaluate_rego
from gitops_guard.load import load_bytes
from gitops_guard.model import Severity
from tests.conftest import RunCli
from tests.evaluate.rego.conftest import REGO, load_docs


def test_metadata_gives_id_severity_and_docs_link() -> None:
    docs = load_docs(REGO / "metadata" / "privileged.yaml")
    options = RegoOptions(policy_paths=(str(REGO / "metadata"),), namespaces=("acme.*",))
    findings = {f.rule_id: f for f in evaluate_rego(docs, options)}
    assert set(findings) == {"ACME-101", "acme.workloads/deny_no_owner", "ACME-300"}
    assert findings["ACME-101"].severity is Severity.ERROR
    assert findings["ACME-101"].doc_url == "https://example.com/policies/ACME-101"
    # conftest: the METADATA word does not soften a deny, nor change a warn
    assert findings["acme.workloads/deny_no_owner"].severity is Severity.ERROR
    assert findings["ACME-300"].severity is Severity.WARNING


@pytest.mark.parametrize(("block", "error"), [
    ("# METADATA\n# title: [unclosed\n", "p.rego:3:1: rego error: METADATA block is not valid"),
    ("# METADATA\n# - a list\n", "p.rego:2:1: rego error: METADATA block must be a"),
])
def test_bad_block_is_a_usage_error_at_its_line(run_cli: RunCli, tmp_path: Path, block: str,
                                                error: str) -> None:
    (tmp_path / "p.rego").write_text(f"package main\n{block}deny contains \"x\" if true\n")
    (tmp_path / "in.yaml").write_text("a: 1\n")
    result = run_cli("check", "--no-builtin", "-p", str(tmp_path / "p.rego"),
                     str(tmp_path / "in.yaml"))
    assert result.code == 2
    assert error in result.err


@pytest.mark.parametrize(("resources", "url"), [
    ("# related_resources:\n# - https://example.com/a\n", "https://example.com/a"),
    ("# related_resources:\n# - ref: https://example.com/b\n#   description: B\n",
     "https://example.com/b"),
])
def test_first_related_resource_is_the_docs_link(tmp_path: Path, resources: str,
                                                 url: str) -> None:
    (tmp_path / "p.rego").write_text(
        f"package main\n# METADATA\n# custom:\n#   id: ACME-1\n{resources}"
        'deny contains "x" if true\n')
    [finding] = evaluate_rego(load_bytes(b"a: 1\n", "in.yaml").documents,
                              RegoOptions(policy_paths=(str(tmp_path / "p.rego"),)))
    assert (finding.rule_id, finding.doc_url) == ("ACME-1", url)
