"""The built-in library in `check`: on by default, switched off or trimmed by flag and config."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.evaluate import builtin
from tests.conftest import RunCli
from tests.evaluate.conftest import POLICY_DATA, Repo

PRIVILEGED = """
apiVersion: v1
kind: Pod
metadata:
  name: root
  namespace: apps
spec:
  containers:
    - name: c
      image: ghcr.io/acme/c:1.0
      securityContext:
        privileged: true
"""


def _gg301(out: str) -> list[str]:
    return [line.strip() for line in out.splitlines() if " GG301 " in line]


def test_builtins_run_by_default_and_point_at_the_field(repo: Repo, run_cli: RunCli) -> None:
    repo.write("pod.yaml", PRIVILEGED)
    result = run_cli("check", "--no-schema", "pod.yaml")
    assert result.code == 1
    assert _gg301(result.out) == [
        'pod.yaml:11:9: error   GG301  container "c" runs privileged  [Pod apps/root]']
    found = run_cli("check", "--no-schema", "pod.yaml", "-o", "json").json()["findings"]
    gg301 = [f for f in found if f["rule_id"] == "GG301"]
    assert gg301[0]["source"] == "builtin:policies/gg301_privileged_container.py"
    assert gg301[0]["field"] == "spec.containers[0].securityContext.privileged"


def test_no_builtin_flag_and_config_switch_the_library_off(repo: Repo, run_cli: RunCli) -> None:
    repo.write("pod.yaml", PRIVILEGED)
    assert run_cli("check", "--no-schema", "--no-builtin", "pod.yaml").out.endswith(
        "1 file, 1 resource, 0 errors, 0 warnings\n")
    repo.write(".gitops-guard.yaml", "builtin: {enabled: false}\n")
    result = run_cli("check", "--no-schema", "pod.yaml")
    assert result.code == 0
    assert "GG3" not in result.out and "GG4" not in result.out


def test_disable_drops_one_rule_and_keeps_the_rest(repo: Repo, run_cli: RunCli) -> None:
    repo.write("pod.yaml", PRIVILEGED)
    repo.write(".gitops-guard.yaml", "builtin: {disable: [GG301]}\n")
    result = run_cli("check", "--no-schema", "pod.yaml")
    assert not _gg301(result.out)
    assert " GG303 " in result.out  # runAsNonRoot still checked


def test_disabling_an_unknown_rule_exits_2(repo: Repo, run_cli: RunCli) -> None:
    repo.write("pod.yaml", PRIVILEGED)
    repo.write(".gitops-guard.yaml", "builtin: {disable: [GG999]}\n")
    result = run_cli("check", "--no-schema", "pod.yaml")
    assert result.code == 2
    assert "builtin.disable: no rule GG999" in result.err


def test_disable_also_silences_core_rule_ids(repo: Repo, run_cli: RunCli) -> None:
    repo.write("thing.yaml", "apiVersion: acme.io/v1\nkind: Gadget\nmetadata: {name: g}\n")
    assert " GG210 " in run_cli("check", "--no-builtin", "thing.yaml").out
    repo.write(".gitops-guard.yaml", "builtin: {disable: [GG210]}\n")
    assert " GG210 " not in run_cli("check", "--no-builtin", "thing.yaml").out


def test_user_policy_reusing_an_enabled_builtin_id_exits_2(
        repo: Repo, run_cli: RunCli) -> None:
    source = (POLICY_DATA / "no_latest.py").read_text().replace("ACME001", "GG301")
    repo.write("policies/mine.py", source)
    repo.write("pod.yaml", PRIVILEGED)
    result = run_cli("check", "--no-schema", "-p", "policies", "pod.yaml")
    assert result.code == 2
    assert ("rule id GG301 is defined twice: in policies/gg301_privileged_container.py and "
            "in policies/mine.py") in result.err
    # disabling the built-in frees the id for the user's own rule
    repo.write(".gitops-guard.yaml", "builtin: {disable: [GG301]}\n")
    repo.write("pod.yaml", PRIVILEGED.replace("c:1.0", "c:latest"))
    assert _gg301(run_cli("check", "--no-schema", "-p", "policies", "pod.yaml").out) == [
        "pod.yaml:9:7: error   GG301  image ghcr.io/acme/c:latest uses the latest tag  "
        "[Pod apps/root]"]


def test_duplicate_ids_in_the_library_exit_2(
        repo: Repo, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library = tmp_path / "library"
    library.mkdir()
    for name in ("gg901_one.py", "gg902_two.py"):
        (library / name).write_text((POLICY_DATA / "no_latest.py").read_text())
    monkeypatch.setattr(builtin, "builtin_dir", lambda: library)
    repo.write("pod.yaml", PRIVILEGED)
    result = run_cli("check", "--no-schema", "pod.yaml")
    assert result.code == 2
    assert ("rule id ACME001 is defined twice: in policies/gg901_one.py and in "
            "policies/gg902_two.py") in result.err
