"""Secret values never appear in any output; changes show as key + byte lengths."""
from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunCli
from tests.plan.helpers import GitRepo

CANARY = "canary-7f3a9c-do-not-leak"
CANARY2 = "canary-b81e44-longer-secret-value"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _secret(name: str, data: dict[str, str], string_data: dict[str, str] | None = None,
            ) -> dict[str, Any]:
    obj: dict[str, Any] = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name},
                           "type": "Opaque", "data": data}
    if string_data:
        obj["stringData"] = string_data
    return obj


def _annotated(name: str, applied: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {
        "name": name, "annotations": {
            "kubectl.kubernetes.io/last-applied-configuration": applied}},
        "data": {"plain": "visible"}}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.write(".gitops-guard.yaml", "plan:\n  secret_patterns: ['spec.values.*password*']\n")
    repo.write("app/secret.yaml", _secret("db", {"password": _b64("hunter2hunter"),
                                                 "user": _b64("app")}))
    repo.write("app/gone.yaml", _secret("old", {"key": _b64(CANARY)}))
    repo.write("app/cm.yaml", _annotated("cm", '{"data":{"x":"' + CANARY + '"}}'))
    repo.write("app/release.yaml", {
        "apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
        "metadata": {"name": "db"}, "spec": {"values": {"dbPassword": CANARY, "size": 1}}})
    repo.commit("base")
    repo.write("app/secret.yaml", _secret("db", {"password": _b64(CANARY2), "user": _b64("app")},
                                          {"token": CANARY}))
    (repo.root / "app/gone.yaml").unlink()
    repo.write("app/new.yaml", _secret("new", {"api-key": _b64(CANARY)}))
    repo.write("app/cm.yaml", _annotated("cm", '{"data":{"x":"' + CANARY2 + '"}}'))
    repo.write("app/release.yaml", {
        "apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
        "metadata": {"name": "db"}, "spec": {"values": {"dbPassword": CANARY2, "size": 2}}})
    monkeypatch.chdir(repo.root)
    return repo


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_canary_secret_appears_in_no_output(repo: GitRepo, run_cli: RunCli, fmt: str) -> None:
    result = run_cli("diff", "--base", "main", "-o", fmt, "--color", "always")
    assert result.code == 0, result.err
    everything = result.out + result.err
    for secret in (CANARY, CANARY2, "hunter2hunter"):
        for form in (secret, _b64(secret), _b64(secret)[:16]):
            assert form not in everything
    assert "data.password" in result.out  # the change is still visible


def test_secret_changes_show_key_and_lengths(repo: GitRepo, run_cli: RunCli) -> None:
    result = run_cli("diff", "--base", "main", "-o", "text", "--color", "never")
    out = result.out
    assert f"data.password: changed (13 → {len(CANARY2)} bytes)" in out
    assert f"stringData.token: added ({len(CANARY)} bytes)" in out
    assert "spec.values.dbPassword: changed" in out
    assert "spec.values.size: 1 → 2" in out
    assert "metadata.annotations.kubectl.kubernetes.io/last-applied-configuration: changed" in out


def test_secrets_are_never_dropped_from_the_plan(repo: GitRepo, run_cli: RunCli) -> None:
    plan = run_cli("diff", "--base", "main", "-o", "json").json()
    [env] = plan["environments"]
    actions = {(c["id"]["kind"], c["id"]["name"]): c["action"] for c in env["changes"]}
    assert actions[("Secret", "db")] == "changed"
    assert actions[("Secret", "old")] == "removed"
    assert actions[("Secret", "new")] == "added"
    db = next(c for c in env["changes"] if c["id"]["name"] == "db" and c["id"]["kind"] == "Secret")
    assert db["fields"][0] == {"path": "data.password", "op": "masked", "before": None,
                               "after": None, "before_bytes": 13, "after_bytes": len(CANARY2)}
