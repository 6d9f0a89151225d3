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


STOPS = '''
from gitops_guard.evaluate.api import Violation, rule
from gitops_guard.evaluate.sandbox import PolicyTimeout


@rule(id="ACME090", severity="warning", title="Stops", kinds=("ConfigMap",))
def stops(resource, ctx):
    name = resource["metadata"]["name"]
    if name.endswith("-7"):  # what the watchdog raises in a call that overran
        raise PolicyTimeout(1.0)
    yield Violation(f"saw {name}", ("metadata", "name"))


@rule(id="ACME091", severity="warning", title="Fails", kinds=("ConfigMap",))
def fails(resource, ctx):
    if resource["metadata"]["name"].endswith(("-3", "-5")):
        raise ValueError("nope")
    return ()
'''


@pytest.mark.skipif(not can_fork(), reason="chunks are shared out to forked workers")
def test_document_chunks_give_the_serial_findings_failures_and_timeouts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    policy = tmp_path / "stops.py"
    policy.write_text(STOPS)
    rules = [*builtin_rules().values(), *load_policy_file(policy, "policies/stops.py")]
    text = "---\n".join(f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm-{i}}}\n"
                        f"data: {{k: v}}\n" for i in range(12))
    docs = load_bytes(text.encode(), "cms.yaml").documents
    serial = run_rules(rules, docs, {}, "1.32", jobs=1)
    mine = [(f.rule_id, f.location.line, f.message) for f in serial
            if f.rule_id.startswith("ACME") or f.rule_id == "GG040"]
    # ACME090 saw cm-0 to cm-6, timed out on cm-7 and was not called again; ACME091 failed
    # on cm-3 and cm-5, reported once, at the first.
    assert [m[:2] for m in mine] == [("ACME090", 3 + 5 * i) for i in range(7)] + [
        ("GG040", 36), ("GG040", 16)]
    assert "timed out after 1s" in mine[7][2] and "not run again" in mine[7][2]
    assert "raised ValueError: nope (it failed on 2 documents)" in mine[8][2]
    monkeypatch.setattr(python_run, "CHUNK", 2)
    monkeypatch.setattr(python_run, "PARALLEL_DOCUMENTS", 1)
    for jobs in (1, 2):
        assert run_rules(rules, docs, {}, "1.32", jobs=jobs) == serial
