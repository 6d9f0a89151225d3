"""The core rules' docs (gitops_guard/catalog.py): every GG0xx-GG2xx id the pipeline can
report has one, complete, and `policies show` / `policies list` give it to users."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from gitops_guard.catalog import CORE_RULES, core_rule
from gitops_guard.model import Severity
from tests.conftest import RunCli

PACKAGE = Path(__file__).parents[1] / "gitops_guard"
CORE_ID = re.compile(r"GG[0-2]\d\d")


def _ids_in_the_source() -> set[str]:
    """Every string constant that is exactly a core rule id, outside the catalog."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if path.name == "catalog.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and CORE_ID.fullmatch(node.value):
                found.add(node.value)
    return found


def test_every_core_id_the_pipeline_reports_is_documented() -> None:
    used = _ids_in_the_source()
    assert len(used) > 30, "the scan found too few ids to be looking in the right place"
    assert sorted(used - set(CORE_RULES)) == []


def test_no_doc_is_written_twice() -> None:
    tree = ast.parse((PACKAGE / "catalog.py").read_text(encoding="utf-8"))
    written = [node.args[0].value for node in ast.walk(tree)
               if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "RuleDoc"
               and node.args and isinstance(node.args[0], ast.Constant)]
    assert len(written) == len(set(written)) == len(CORE_RULES)


@pytest.mark.parametrize("rule_id", sorted(CORE_RULES))
def test_each_doc_is_complete(rule_id: str) -> None:
    doc = CORE_RULES[rule_id]
    assert doc.id == rule_id and CORE_ID.fullmatch(rule_id)
    assert isinstance(doc.severity, Severity)
    assert doc.title and doc.why and doc.fix, f"{rule_id}: title, why and fix are all needed"


def test_core_rule_looks_up_by_id() -> None:
    assert core_rule("GG122") is CORE_RULES["GG122"]
    assert core_rule("GG999") is None


def test_policies_show_gives_a_core_rule_its_doc(run_cli: RunCli) -> None:
    result = run_cli("policies", "show", "GG122")
    assert result.code == 0
    doc = CORE_RULES["GG122"]
    assert result.out.startswith(f"GG122  {doc.title}\n")
    assert "severity: error" in result.out and doc.fix in result.out
