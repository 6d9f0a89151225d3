from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli

GOOD = Path(__file__).parent / "data" / "check" / "deployment-good.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "app.yaml").write_text(GOOD.read_text())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_config_sets_version_and_exclude(repo: Path, run_cli: RunCli) -> None:
    (repo / "legacy").mkdir()
    (repo / "legacy" / "old.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: 1}\n")
    (repo / ".gitops-guard.yaml").write_text(
        'kubernetes_version: "1.30"\nexclude: ["legacy/**"]\n')
    result = run_cli("check", "-o", "json")
    assert result.code == 0
    assert result.json()["kubernetes_version"] == "1.30"
    assert result.json()["summary"]["files"] == 1


def test_unknown_key_is_exit_2_naming_key_and_line(repo: Path, run_cli: RunCli) -> None:
    (repo / ".gitops-guard.yaml").write_text("strict: true\n\nkubernetes_versoin: '1.30'\n")
    result = run_cli("check")
    assert result.code == 2
    assert ".gitops-guard.yaml:3:1: unknown key 'kubernetes_versoin'" in result.err
    assert "Traceback" not in result.err


def test_bad_value_is_exit_2_naming_key_and_line(repo: Path, run_cli: RunCli) -> None:
    (repo / ".gitops-guard.yaml").write_text("fail_on: sometimes\nstrict: 'yes please'\n")
    result = run_cli("check")
    assert result.code == 2
    assert ".gitops-guard.yaml:1:1: fail_on:" in result.err
    assert ".gitops-guard.yaml:2:1: strict:" in result.err


def test_unparseable_config_is_exit_2_with_line(repo: Path, run_cli: RunCli) -> None:
    (repo / ".gitops-guard.yaml").write_text("strict: [true\n")
    result = run_cli("check")
    assert result.code == 2
    assert ".gitops-guard.yaml:2:1: invalid YAML" in result.err


def test_config_found_from_a_subdirectory(repo: Path, run_cli: RunCli,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / ".gitops-guard.yaml").write_text('kubernetes_version: "1.29"\n')
    (repo / "sub").mkdir()
    monkeypatch.chdir(repo / "sub")
    result = run_cli("check", "-o", "json", "../app.yaml")
    assert result.json()["kubernetes_version"] == "1.29"
    assert result.json()["summary"]["files"] == 1


def test_explicit_missing_config_is_a_usage_error(repo: Path, run_cli: RunCli) -> None:
    result = run_cli("check", "--config", "nope.yaml")
    assert (result.code, result.err.strip()) == (
        2, "gitops-guard: error: nope.yaml: config file not found")


def test_missing_path_is_a_usage_error(repo: Path, run_cli: RunCli) -> None:
    result = run_cli("check", "does-not-exist")
    assert result.code == 2
    assert "does-not-exist: no such file or directory" in result.err


def test_example_config_is_valid(run_cli: RunCli) -> None:
    example = Path(__file__).parent.parent / "examples" / "gitops-repo"
    result = run_cli("-C", str(example), "check", "-o", "json")
    assert result.code == 1  # the shop app is broken on purpose
    assert result.json()["kubernetes_version"] == "1.32"
