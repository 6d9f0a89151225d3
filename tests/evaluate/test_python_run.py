"""Running rules on more than one process changes nothing a user sees."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from gitops_guard.evaluate import python_run
from gitops_guard.evaluate.builtin import builtin_rules
from gitops_guard.evaluate.python import load_policy_file
from gitops_guard.evaluate.python_run import run_rules
from gitops_guard.load import load_bytes
from gitops_guard.model import Document
from gitops_guard.parallel import can_fork

ROOT = Path(__file__).resolve().parents[2]
POLICY_DATA = ROOT / "tests" / "data" / "python_policies"


def _documents(tmp_path: Path) -> list[Document]:
    spec = importlib.util.spec_from_file_location("bench_gen_rules", ROOT / "benchmarks" /
                                                  "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module.generate(300, tmp_path / "corpus", seed=5, invalid_ratio=0.05)
    docs: list[Document] = []
    for path in sorted((tmp_path / "corpus").rglob("*.yaml")):
        docs.extend(load_bytes(path.read_bytes(), path.name).documents)
    return docs


@pytest.mark.skipif(not can_fork(), reason="rules are shared out to forked workers")
def test_rules_on_two_processes_give_the_serial_findings_in_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _documents(tmp_path)
    rules = [*builtin_rules().values(),
             *load_policy_file(POLICY_DATA / "explodes.py", "policies/explodes.py")]
    serial = run_rules(rules, docs, {}, "1.32", jobs=1)
    found = {f.rule_id for f in serial}
    assert "GG040" in found and len(found) >= 8, found
    monkeypatch.setattr(python_run, "PARALLEL_DOCUMENTS", 1)
    for jobs in (2, 3):
        assert run_rules(rules, docs, {}, "1.32", jobs=jobs) == serial


def test_small_inputs_stay_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise AssertionError("forked for a handful of documents")

    monkeypatch.setattr("os.fork", no_fork)
    docs = load_bytes(b"apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                      b"  containers: [{name: c, image: 'x:latest'}]\n", "p.yaml").documents
    found = run_rules(builtin_rules().values(), docs, {}, "1.32", jobs=4)
    assert any(f.rule_id == "GG501" and f.location.line == 5 for f in found)
