"""The benchmark corpus generator: deterministic, exact counts, valid unless asked not to be."""
from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from tests.conftest import RunCli

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"
N = 60


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmarks_generate", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


gen = _load()


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def _check(run_cli: RunCli, corpus: Path, capsys: pytest.CaptureFixture[str]) -> tuple[
        int, str]:
    with pytest.raises(SystemExit):
        run_cli("check", "--help")
    extra = ["--no-builtin"] if "--no-builtin" in capsys.readouterr().out else []
    result = run_cli("-C", str(corpus), "check", "--kubernetes-version", "1.32", *extra, ".")
    return result.code, result.out


def test_same_seed_same_bytes_other_seed_other_corpus(tmp_path: Path) -> None:
    first = gen.generate(N, tmp_path / "a", seed=7)
    second = gen.generate(N, tmp_path / "b", seed=7)
    assert first.resources == second.resources == N
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    gen.generate(N, tmp_path / "c", seed=8)
    assert _files(tmp_path / "a") != _files(tmp_path / "c")


def test_exactly_n_resources_of_the_expected_kinds_one_app_per_file(tmp_path: Path) -> None:
    stats = gen.generate(N, tmp_path, seed=3)
    kinds: Counter[str] = Counter()
    written = sorted((tmp_path / "apps").rglob("*.yaml"))
    assert len(written) == stats.files
    built = dict(gen.build(N, seed=3))
    for path in written:
        relative = path.relative_to(tmp_path).as_posix()
        assert re.fullmatch(r"apps/[a-z-]+/[a-z0-9-]+\.yaml", relative)
        docs = list(yaml.load_all(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
        assert docs == built[relative]  # the YAML emitter round-trips exactly
        apps = {d["metadata"]["labels"]["app.kubernetes.io/name"] for d in docs}
        assert len(apps) == 1
        kinds.update(d["kind"] for d in docs)
    assert sum(kinds.values()) == N
    assert set(kinds) == set(gen.KINDS)
    assert stats.kinds == dict(kinds)


def test_valid_corpus_passes_strict_schemas(
    tmp_path: Path, run_cli: RunCli, capsys: pytest.CaptureFixture[str],
) -> None:
    gen.generate(N, tmp_path, seed=1)
    code, out = _check(run_cli, tmp_path, capsys)
    assert code == 0, out
    assert out.strip().endswith(f"{N} resources, 0 errors, 0 warnings")


def test_invalid_ratio_produces_findings(
    tmp_path: Path, run_cli: RunCli, capsys: pytest.CaptureFixture[str],
) -> None:
    stats = gen.generate(N, tmp_path, seed=1, invalid_ratio=0.2)
    assert stats.invalid == 12
    code, out = _check(run_cli, tmp_path, capsys)
    assert code == 1
    summary = re.search(r"(\d+) resources, (\d+) errors", out)
    assert summary and int(summary[1]) == N
    assert int(summary[2]) >= stats.invalid  # each mistake is at least one schema error
    assert set(re.findall(r"\bGG\d{3}\b", out)) <= {"GG201", "GG202", "GG203", "GG204"}
