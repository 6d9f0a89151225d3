"""The runner's secrets stay out of child processes for a `ci` run, and out of what tools
print (gitops_guard/runner_env.py)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from gitops_guard.runner_env import (
    REDACTED,
    scrub_secrets,
    secret_environment,
    secret_values,
    secrets_withheld,
    withheld,
)


@pytest.mark.parametrize(("name", "expected"), [
    ("GITHUB_TOKEN", True), ("CI_JOB_TOKEN", True), ("AWS_SECRET_ACCESS_KEY", True),
    ("DB_PASSWORD", True), ("ARTIFACTORY_API_KEY", True), ("GOOGLE_CREDENTIALS", True),
    ("VAULT_AUTH_ROLE", True), ("AWS_SESSION_TOKEN", True), ("STEAM_COOKIE", True),
    ("GITHUB_ENV", True), ("GITHUB_OUTPUT", True), ("GITHUB_PATH", True),
    ("GITHUB_STATE", True), ("GITHUB_STEP_SUMMARY", True),
    ("HOME", False), ("PATH", False), ("GITHUB_REPOSITORY", False), ("GITHUB_SHA", False),
    ("KUBECONFIG", False),
])
def test_which_variables_are_withheld(name: str, expected: bool) -> None:
    assert withheld(name) is expected


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {"GITHUB_TOKEN": "ghs_abcdefghijkl", "DEPLOY_PASSWORD": "hunter2hunter2",
              "GITHUB_OUTPUT": "/runner/output", "SHORT_TOKEN": "abc",
              "GITHUB_REPOSITORY": "acme/ops"}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def test_the_block_removes_them_from_children_and_puts_them_back(
        runner: dict[str, str]) -> None:
    child = [sys.executable, "-c", "import os; print(sorted(os.environ))"]
    with secrets_withheld() as removed:
        assert removed == {k: v for k, v in runner.items() if k != "GITHUB_REPOSITORY"}
        seen = subprocess.run(child, capture_output=True, text=True, check=True).stdout
        assert "GITHUB_TOKEN" not in seen and "GITHUB_OUTPUT" not in seen
        assert "GITHUB_REPOSITORY" in seen  # not secret: tools may use it
    for name, value in runner.items():
        assert os.environ[name] == value


def test_the_values_stay_known_while_withheld(runner: dict[str, str]) -> None:
    with secrets_withheld():
        assert secret_environment()["GITHUB_TOKEN"] == "ghs_abcdefghijkl"
        # a runner file's path is no secret; a value shorter than a token is none either
        assert secret_values() == {"ghs_abcdefghijkl", "hunter2hunter2"}
    assert secret_values() == {"ghs_abcdefghijkl", "hunter2hunter2"}


def test_scrub_replaces_each_value_longest_first(runner: dict[str, str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("API_TOKEN_PREFIX", "ghs_abcdef")  # a prefix of the token
    text = "helm: auth ghs_abcdefghijkl failed; password hunter2hunter2; abc stays"
    assert scrub_secrets(text) == \
        f"helm: auth {REDACTED} failed; password {REDACTED}; abc stays"
