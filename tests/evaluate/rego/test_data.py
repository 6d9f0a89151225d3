"""`--data` files merged into Rego's `data` (data.py), as OPA's loader merges them."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.evaluate.options import RegoOptions
from gitops_guard.evaluate.rego import evaluate_rego
from tests.conftest import RunCli
from tests.evaluate.rego.conftest import REGO, load_docs

K8S = REGO / "conftest_examples" / "kubernetes"


def test_data_files_are_merged_under_data() -> None:
    docs = load_docs(K8S / "clean.yaml", K8S / "deployment+service.yaml")
    options = RegoOptions(policy_paths=(str(K8S / "policy"),), data_paths=(str(K8S / "data"),))
    registry = [f for f in evaluate_rego(docs, options) if f.rule_id == "main/deny_registry"]
    # clean.yaml uses ghcr.io/example/ (listed in the data file); hello-kubernetes does not
    assert [f.message for f in registry] == [
        "image paulbouwer/hello-kubernetes:1.5 is not from an allowed registry"]
    assert registry[0].location.line == 17


def _verify(run_cli: RunCli, tmp_path: Path, test: str, *data: str) -> tuple[int, str]:
    (tmp_path / "p").mkdir(exist_ok=True)
    (tmp_path / "p" / "t.rego").write_text(f"package main\nimport rego.v1\n{test}\n")
    args = [a for d in data for a in ("-d", str(tmp_path / d))]
    result = run_cli("verify", "-p", str(tmp_path / "p"), *args)
    return result.code, result.out + result.err


def test_a_file_merges_at_the_root_and_a_folder_under_its_path(run_cli: RunCli,
                                                               tmp_path: Path) -> None:
    (tmp_path / "top.json").write_text('{"registries": ["ghcr.io"]}')
    (tmp_path / "dir" / "k8s" / "deep").mkdir(parents=True)
    (tmp_path / "dir" / "k8s" / "data.yaml").write_text("limits: {cpu: 2}\n")
    (tmp_path / "dir" / "k8s" / "deep" / "more.yml").write_text("enabled: true\non: 1\n")
    (tmp_path / "dir" / "k8s" / "lib.rego").write_text("package lib\nx := 1\n")
    code, out = _verify(run_cli, tmp_path, 'test_data if {\n  data.registries == ["ghcr.io"]\n'
                        "  data.k8s.limits.cpu == 2\n  data.k8s.deep.enabled == true\n"
                        '  data.k8s.deep["true"] == 1\n}',
                        "top.json", "dir")
    assert code == 0, out


@pytest.mark.parametrize(("files", "error"), [
    ({"a.json": '{"x": 1}', "b.yaml": "x: 2\n"}, "b.yaml: data.x is already set by another"),
    ({"a.yaml": "- 1\n"}, "a.yaml: data must be a mapping to merge into data"),
    ({"a.yaml": "x: 1\n---\ny: 2\n"}, "a.yaml: a data file must hold exactly one YAML"),
    ({"a.json": "{nope"}, "a.json: cannot load data file"),
    ({}, "a.json: data path not found"),
])
def test_bad_data_is_a_usage_error_naming_the_file(run_cli: RunCli, tmp_path: Path,
                                                   files: dict[str, str], error: str) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    names = sorted(files) or ["a.json"]
    code, out = _verify(run_cli, tmp_path, "test_x if true", *names)
    assert code == 2
    assert error in out
