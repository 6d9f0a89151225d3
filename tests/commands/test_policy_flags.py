"""The policy flags of `check`: conftest's exit codes, and Rego/Python paths wired through."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.evaluate.conftest import Repo

MAIN_REGO = """\
package main

deny contains msg if {
\tinput.kind == "Pod"
\tmsg := sprintf("pod %s is not allowed", [input.metadata.name])
}
"""
EXTRA_REGO = """\
package extra.checks

warn contains msg if {
\tinput.kind == "Pod"
\tmsg := "extra says hi"
}
"""
POD = """
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, image: "x:latest"}]
"""
WARN_ONLY = "name: app\ndebug: true\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return Repo(tmp_path)


def _codes(run_cli: RunCli, target: str, *flags: str) -> int:
    return run_cli("check", "--no-builtin", "--no-schema", "-p", "policies", target,
                   *flags).code


@pytest.mark.parametrize(("target", "flags", "code"), [
    ("warn.yaml", (), 0),
    ("warn.yaml", ("--fail-on", "warning"), 1),
    ("warn.yaml", ("--fail-on-warn",), 1),
    ("warn.yaml", ("--fail-on-warn", "--no-fail"), 0),
    ("pod.yaml", (), 1),
    ("pod.yaml", ("--fail-on-warn",), 2),  # conftest: failures exit 2 under --fail-on-warn
    ("pod.yaml", ("--no-fail",), 0),
    ("pod.yaml", ("--fail-on", "never"), 0),
    ("ok.yaml", ("--fail-on-warn",), 0),
])
def test_exit_codes(repo: Repo, run_cli: RunCli, target: str, flags: tuple[str, ...],
                    code: int) -> None:
    repo.policy("no_latest.py")
    repo.policy("any_document.py")
    repo.write("pod.yaml", POD)
    repo.write("warn.yaml", WARN_ONLY)
    repo.write("ok.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    assert _codes(run_cli, target, *flags) == code


def test_config_fail_on_is_the_default_and_the_flag_wins(repo: Repo, run_cli: RunCli) -> None:
    repo.policy("any_document.py")
    repo.write("warn.yaml", WARN_ONLY)
    repo.write(".gitops-guard.yaml", "fail_on: warning\n")
    assert _codes(run_cli, "warn.yaml") == 1
    assert _codes(run_cli, "warn.yaml", "--fail-on", "error") == 0


def test_a_dir_mixing_rego_and_python_feeds_both_engines(repo: Repo, run_cli: RunCli) -> None:
    repo.policy("no_latest.py")
    repo.write("policies/main.rego", MAIN_REGO)
    repo.write("policies/extra.rego", EXTRA_REGO)
    repo.write("pod.yaml", POD)
    result = run_cli("check", "--no-builtin", "--no-schema", "-p", "policies", "pod.yaml")
    assert result.code == 1
    assert "pod.yaml:1:1: error   main/deny  pod p is not allowed  [Pod p]" in result.out
    assert "pod.yaml:5:26: error   ACME001" in result.out
    assert "extra" not in result.out  # only package main by default, as conftest

    result = run_cli("check", "--no-builtin", "--no-schema", "-p", "policies", "pod.yaml",
                     "-n", "extra.*")
    assert "pod.yaml:1:1: warning extra.checks/warn  extra says hi" in result.out
    assert "main/deny" not in result.out
    result = run_cli("check", "--no-builtin", "--no-schema", "-p", "policies", "pod.yaml",
                     "--all-namespaces")
    assert "main/deny" in result.out and "extra.checks/warn" in result.out


def test_config_policies_namespaces_and_rego_findings_can_be_suppressed(
        repo: Repo, run_cli: RunCli) -> None:
    repo.write("rego/extra.rego", EXTRA_REGO)
    repo.write(".gitops-guard.yaml", 'policies: [rego/]\nnamespaces: ["extra.*"]\n')
    repo.write("pod.yaml", POD)
    result = run_cli("check", "--no-builtin", "--no-schema", "pod.yaml")
    assert "pod.yaml:1:1: warning extra.checks/warn  extra says hi" in result.out
    repo.write("pod.yaml", "# gitops-guard: ignore extra.checks/warn greeting is fine\n"
               + POD.lstrip())
    result = run_cli("check", "--no-builtin", "--no-schema", "pod.yaml")
    assert "extra.checks/warn" not in result.out
    assert "GG05" not in result.out


def test_python_only_policy_dir_does_not_need_rego(
        repo: Repo, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    repo.policy("no_latest.py")
    repo.write("pod.yaml", POD)
    monkeypatch.setitem(sys.modules, "gitops_guard.evaluate.rego", None)  # import fails
    result = run_cli("check", "--no-builtin", "--no-schema", "-p", "policies", "pod.yaml")
    assert result.code == 1 and "ACME001" in result.out
    repo.write("policies/main.rego", MAIN_REGO)
    result = run_cli("check", "--no-builtin", "--no-schema", "-p", "policies", "pod.yaml")
    assert result.code == 2
    assert "Rego policies were given (policies) but the Rego engine cannot be loaded" \
        in result.err
