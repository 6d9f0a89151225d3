from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DATA, RunCli, requires

KC = DATA / "kubeconform"
SHOWN = "tests/data/kubeconform"
FAKES = Path(__file__).resolve().parents[1] / "fakes"


@pytest.fixture
def fake_kubeconform(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Puts tests/fakes/kubeconform first on PATH; returns the file its argv goes to."""
    argv_log = tmp_path / "argv.jsonl"
    monkeypatch.setenv("PATH", f"{FAKES}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("FAKE_KUBECONFORM_RESULTS", str(KC / "responses.json"))
    monkeypatch.setenv("FAKE_KUBECONFORM_ARGV", str(argv_log))
    return argv_log


def _calls(argv_log: Path) -> list[list[str]]:
    return [json.loads(line) for line in argv_log.read_text().splitlines()]


def _findings(out: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(out)["findings"]
    return found


def _where(f: dict[str, Any]) -> tuple[str, str, int, int]:
    return f["rule_id"], f["path"].rsplit("/", 1)[-1], f["line"], f["column"]


def test_kubeconform_errors_become_findings_at_field_lines(
    fake_kubeconform: Path, run_cli: RunCli,
) -> None:
    result = run_cli("check", "--no-builtin",
                     "--schema-engine", "kubeconform", "--kubernetes-version", "1.30",
                     str(KC / "deployment.yaml"), str(KC / "widget.yaml"),
                     str(KC / "service.yaml"))
    assert result.code == 1
    lines = [line.strip() for line in result.out.splitlines()]
    dep = f"{SHOWN}/deployment.yaml"
    assert any(line.startswith(f"{dep}:10:3: error") and "GG201" in line
               and "spec.replicas: expected integer or null, but got string" in line
               and "kubeconform, Kubernetes 1.30 strict" in line for line in lines)
    assert any(line.startswith(f"{dep}:18:11: error") and "GG202" in line
               and 'unknown field "spec.template.spec.containers[0].imagePullPolicyy"' in line
               for line in lines)
    assert any(line.startswith(f"{dep}:17:11: error") and "GG203" in line
               and 'missing required field "spec.template.spec.containers[0].name"' in line
               for line in lines)
    widget = [line for line in lines if "GG210" in line]
    assert len(widget) == 1  # one warning per kind, like the builtin engine
    assert widget[0].startswith(f"{SHOWN}/widget.yaml:2:1: warning")
    assert "no schema for Widget example.com/v1" in widget[0]
    assert lines[-1] == "3 files, 4 resources, 3 errors, 1 warning"


def test_one_process_with_version_strictness_and_schema_locations(
    fake_kubeconform: Path, run_cli: RunCli, tmp_path: Path,
) -> None:
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    template = str(tmp_path / "crds/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json")
    result = run_cli("check", "--no-builtin",
                     "--schema-engine", "kubeconform", "--kubernetes-version", "1.31",
                     "--schema-location", str(schemas), "--schema-location", template,
                     str(KC))
    assert result.code == 1
    (argv,) = _calls(fake_kubeconform)  # every file in one run
    assert argv[:6] == ["-output", "json", "-summary", "-kubernetes-version", "1.31.0",
                        "-strict"]
    locations = [argv[i + 1] for i, a in enumerate(argv) if a == "-schema-location"]
    assert locations == [str(schemas), template, "default"]
    files = sorted(Path(a).name for a in argv if a.endswith(".yaml"))
    assert files == ["deployment.yaml", "gadget.yaml", "secret.yaml", "service.yaml",
                     "widget.yaml"]


def test_no_strict_and_ignore_missing_schemas_are_passed_on(
    fake_kubeconform: Path, run_cli: RunCli,
) -> None:
    result = run_cli("check", "--no-builtin", "--schema-engine", "kubeconform", "--no-strict",
                     "--ignore-missing-schemas", "-o", "json", str(KC / "widget.yaml"))
    assert result.code == 0
    assert _findings(result.out) == []
    (argv,) = _calls(fake_kubeconform)
    assert "-strict" not in argv
    assert "-ignore-missing-schemas" in argv


def test_reject_missing_schemas_reports_every_resource_as_error(
    fake_kubeconform: Path, run_cli: RunCli,
) -> None:
    result = run_cli("check", "--no-builtin",
                     "--schema-engine", "kubeconform", "--reject-missing-schemas",
                     "-o", "json", str(KC / "widget.yaml"))
    assert result.code == 1
    found = _findings(result.out)
    assert [(_where(f), f["severity"], f["resource"]["name"]) for f in found] == [
        (("GG210", "widget.yaml", 2, 1), "error", "blue"),
        (("GG210", "widget.yaml", 9, 1), "error", "green"),
    ]


def test_secret_values_in_kubeconform_messages_are_masked(
    fake_kubeconform: Path, run_cli: RunCli,
) -> None:
    result = run_cli("check", "--no-builtin", "--schema-engine", "kubeconform", "-o", "json",
                     str(KC / "secret.yaml"))
    assert result.code == 1
    assert "hunter2" not in result.out
    found = _findings(result.out)
    assert [(_where(f), f["field"]) for f in found] == [
        (("GG201", "secret.yaml", 7, 3), "stringData.password"),
        (("GG201", "secret.yaml", 8, 1), "immutable"),
    ]
    assert "value does not match the schema" in found[0]["message"]


def test_kubeconform_before_0_6_messages_are_parsed_too(
    fake_kubeconform: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FAKE_KUBECONFORM_RESULTS", str(KC / "responses-v0.5.json"))
    result = run_cli("check", "--no-builtin", "--schema-engine", "kubeconform", "-o", "json",
                     str(KC / "deployment.yaml"))
    assert result.code == 1
    assert sorted(_where(f) for f in _findings(result.out)) == [
        ("GG201", "deployment.yaml", 10, 3),
        ("GG202", "deployment.yaml", 18, 11),
        ("GG203", "deployment.yaml", 17, 11),
    ]


def test_terraform_and_plain_data_files_are_not_sent_to_kubeconform(
    fake_kubeconform: Path, run_cli: RunCli, tmp_path: Path,
) -> None:
    (tmp_path / "values.yaml").write_text("replicaCount: 2\n")
    shutil.copy(DATA / "terraform" / "main.tf", tmp_path / "main.tf")
    shutil.copy(DATA / "terraform" / "plan.json", tmp_path / "plan.json")
    result = run_cli("check", "--no-builtin",
                     "--schema-engine", "kubeconform", str(tmp_path / "values.yaml"),
                     str(tmp_path / "main.tf"), str(tmp_path / "plan.json"))
    assert result.code == 0
    assert not fake_kubeconform.exists()  # nothing Kubernetes to validate: no process


def test_missing_binary_is_one_line_and_exit_2(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = run_cli("check", "--no-builtin",
                     "--schema-engine", "kubeconform", str(KC / "service.yaml"))
    assert result.code == 2
    assert result.out == ""
    (line,) = result.err.splitlines()
    assert "kubeconform is required but was not found on PATH" in line
    assert "--schema-engine builtin" in line


def test_a_crashing_binary_is_a_clear_error_not_a_traceback(
    fake_kubeconform: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FAKE_KUBECONFORM_CRASH", "1")
    result = run_cli("check", "--no-builtin",
                     "--schema-engine", "kubeconform", str(KC / "service.yaml"))
    assert result.code == 2
    assert "kubeconform failed (exit 2): panic: runtime error" in result.err
    assert "Traceback" not in result.err


# The real binary: no registry we reach ships it; the fake above covers the parsing.
@requires("kubeconform")
def test_real_kubeconform_against_a_local_schema(run_cli: RunCli, tmp_path: Path) -> None:
    schemas = KC / "schemas"
    template = str(schemas / "{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json")
    result = run_cli("check", "--no-builtin",
                     "--schema-engine", "kubeconform", "--schema-location", template,
                     "-o", "json", str(KC / "gadget.yaml"))
    assert result.code == 1
    assert sorted(_where(f) for f in _findings(result.out)) == [
        ("GG201", "gadget.yaml", 6, 3),
        ("GG202", "gadget.yaml", 7, 3),
    ]
