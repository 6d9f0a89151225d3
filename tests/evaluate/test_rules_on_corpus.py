"""Every built-in rule's findings on the benchmark corpus plus the rules' fail fixtures,
pinned: making the rules or the runner faster (issue 13, point 8) must not change one
finding, and neither may the number of processes they run on."""
from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from gitops_guard.evaluate import python_run
from tests.conftest import Golden, RunCli

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = 150


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = importlib.util.spec_from_file_location("bench_gen_corpus", ROOT / "benchmarks" /
                                                  "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("bench") / "corpus"
    module.generate(RESOURCES, out, seed=3, invalid_ratio=0.02)
    # The rules' fail fixtures, so that every rule has something to find.
    for fixture in sorted((ROOT / "tests" / "data" / "policies").glob("GG*/fail*.yaml")):
        target = out / "fixtures" / fixture.parent.name / fixture.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(fixture, target)
    (out / ".gitops-guard.yaml").write_text('kubernetes_version: "1.32"\n')
    return out


def _findings(run_cli: RunCli, corpus: Path, jobs: str) -> str:
    result = run_cli("-C", str(corpus), "check", "--no-schema", "--no-cache", "-j", jobs,
                     "-o", "json", ".")
    assert result.code == 1, result.err
    report = result.json()
    assert report["summary"]["resources"] > RESOURCES, report["summary"]
    return "".join(f'{f["path"]}:{f["line"]}:{f["column"]} {f["rule_id"]} {f["severity"]} '
                   f'{f.get("field_path", "")} {f["message"]}\n' for f in report["findings"])


def test_builtin_findings_on_the_benchmark_corpus(
        run_cli: RunCli, corpus: Path, golden: Golden, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = _findings(run_cli, corpus, "1")
    assert len({line.split()[1] for line in serial.splitlines()}) >= 50  # every rule fires
    golden("corpus_findings.txt", serial)
    monkeypatch.setattr(python_run, "PARALLEL_DOCUMENTS", 1)  # share the rules out
    assert _findings(run_cli, corpus, "2") == serial
