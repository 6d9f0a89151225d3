"""`gitops-guard policies list` and `policies show ID`."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.evaluate.conftest import Repo


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return Repo(tmp_path)


def _row(out: str, rule_id: str) -> list[str]:
    line = next(line for line in out.splitlines() if line.startswith(rule_id + " "))
    return line.split(None, 3)


def test_list_is_a_table_of_every_rule(repo: Repo, run_cli: RunCli) -> None:
    result = run_cli("policies", "list")
    assert result.code == 0
    assert result.out.splitlines()[0].split() == ["ID", "SEVERITY", "SOURCE", "TITLE"]
    assert _row(result.out, "GG301") == ["GG301", "error", "builtin", "Privileged container"]
    assert _row(result.out, "GG050") == ["GG050", "warning", "core", "Unused suppression"]
    ids = [line.split()[0] for line in result.out.splitlines()[1:] if line.startswith("GG")]
    assert ids == sorted(ids)
    assert sum(1 for i in ids if "GG300" < i < "GG700") >= 40
    assert result.out.endswith(f"\n{len(ids)} rules\n")
    assert run_cli("policies").out == result.out  # `list` is the default action


def test_list_includes_python_policies_and_marks_disabled(repo: Repo, run_cli: RunCli) -> None:
    repo.policy("no_latest.py", into="guard")
    repo.write(".gitops-guard.yaml", "builtin: {disable: [GG301]}\n")
    result = run_cli("policies", "list", "-p", "guard")
    assert _row(result.out, "ACME001") == ["ACME001", "error", "python", "No latest tag"]
    assert _row(result.out, "GG301") == ["GG301", "error", "builtin", "(off)  Privileged container"]


def test_list_json(repo: Repo, run_cli: RunCli) -> None:
    entries = {e["id"]: e for e in run_cli("policies", "list", "-o", "json").json()}
    gg301 = entries["GG301"]
    assert gg301["severity"] == "error" and gg301["enabled"] is True
    assert gg301["source_file"] == "policies/gg301_privileged_container.py"
    assert "Pod" in gg301["kinds"] and gg301["why"] and gg301["fix"]
    assert {o["name"] for o in entries["GG503"]["options"]} == {"allowed_registries"}


def test_show_a_builtin(repo: Repo, run_cli: RunCli) -> None:
    result = run_cli("policies", "show", "gg301")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == "GG301  Privileged container"
    assert "severity: error" in lines
    assert "source:   policies/gg301_privileged_container.py (builtin)" in lines
    assert any(line.startswith("kinds:    Pod, Deployment") for line in lines)
    for heading in ("Why", "Fix", "Example"):
        body = lines[lines.index(heading) + 1]
        assert body.startswith("  ") and body.strip()


def test_show_a_python_policy_with_its_options(repo: Repo, run_cli: RunCli) -> None:
    repo.policy("options_echo.py", into="guard")
    result = run_cli("policies", "show", "ACME003", "-p", "guard")
    assert result.code == 0
    assert "source:   guard/options_echo.py (python)" in result.out
    assert result.out.endswith("Options (.gitops-guard.yaml builtin.options)\n"
                               "  max_keys (default 99)\n")
    shown = run_cli("policies", "show", "ACME003", "-p", "guard", "-o", "json").json()
    assert shown["options"] == [{"name": "max_keys", "default": "99"}]


def test_show_a_core_rule(repo: Repo, run_cli: RunCli) -> None:
    result = run_cli("policies", "show", "GG052")
    assert result.out.startswith("GG052  Suppression without a reason\n")
    assert "(core" in result.out


def test_show_unknown_id_exits_2(repo: Repo, run_cli: RunCli) -> None:
    result = run_cli("policies", "show", "GG999")
    assert result.code == 2
    assert "no rule 'GG999'" in result.err
    assert run_cli("policies", "show").code == 2
