"""Loading many files: worker processes and the load cache change nothing in the results
(the cache itself: tests/load/test_cache.py)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from gitops_guard.check import CheckOptions, run_check
from gitops_guard.config import load_config
from gitops_guard.load import files as load_files_module
from gitops_guard.load.base import FileResult, LoadLimits
from gitops_guard.load.files import load_files
from gitops_guard.model import CheckResult, Document
from gitops_guard.validate.options import SchemaOptions

GENERATOR = Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmarks_generate_files", GENERATOR)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "repo"
    _generator().generate(400, out, seed=3, invalid_ratio=0.05)
    # Odd files too: a parse error, a List kind, JSON, a suppression comment, a duplicate.
    extra = out / "apps" / "zz"
    extra.mkdir(parents=True)
    (extra / "broken.yaml").write_text("a: [1, 2\nb: 3\n")
    (extra / "list.yaml").write_text(
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n"
        "  metadata: {name: a}\n  data: {x: 1}\n")
    (extra / "cm.json").write_text(
        '{"apiVersion": "v1", "kind": "ConfigMap",\n "metadata": {"name": "j"},\n'
        ' "data": {"k": 2}}\n')
    (extra / "quiet.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n"
        "spec:\n  ports: [{port: \"80\"}]  # gitops-guard: ignore GG201 reason: test\n")
    (extra / "dup.yaml").write_text("a: 1\na: 2\n")
    (out / ".gitops-guard.yaml").write_text('kubernetes_version: "1.32"\n')
    return out


def _files(root: Path) -> list[tuple[Path, str]]:
    return [(p, p.relative_to(root).as_posix())
            for p in sorted(root.rglob("*")) if p.suffix in (".yaml", ".json")
            and not p.name.startswith(".")]


def _shape(results: list[FileResult]) -> list[object]:
    return [([(d.path, d.index, d.data, d.line, d.source_format,
               [d.locate(p) for p in _probe_paths(d)]) for d in r.documents],
             r.findings, r.text) for r in results]


def _probe_paths(doc: Document) -> list[tuple[str | int, ...]]:
    return [("metadata", "name"), ("spec", "template", "spec", "containers", 0, "image"),
            ("data",), ("spec", "ports", 0, "port"), ("nope",), ("items", 0, "data", "x")]


@pytest.fixture
def parallel_always(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_files_module, "PARALLEL_FILES", 1)


def test_workers_return_what_a_serial_run_does(corpus: Path, parallel_always: None) -> None:
    files = _files(corpus)
    serial = load_files(files, LoadLimits(), jobs=1)
    for jobs in (2, 3):
        assert _shape(load_files(files, LoadLimits(), jobs=jobs)) == _shape(serial)


def _check(root: Path, jobs: int, cache: bool) -> CheckResult:
    config = load_config(root / ".gitops-guard.yaml", root)
    options = CheckOptions(paths=(str(root),), schema=SchemaOptions("1.32"), jobs=jobs,
                           cache=cache)
    return run_check(options, config)


def test_check_is_identical_serial_parallel_cold_and_warm(
    corpus: Path, parallel_always: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    serial = _check(corpus, 1, cache=False)
    assert serial.findings and serial.resources > 400
    assert _check(corpus, 2, cache=False) == serial
    assert _check(corpus, 2, cache=True) == serial  # cold: writes the entries
    assert list((tmp_path / "cache").rglob("*"))
    assert _check(corpus, 2, cache=True) == serial  # warm: reads them
    assert _check(corpus, 1, cache=True) == serial


def _one(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "a.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n")
    return path, "a.yaml"
