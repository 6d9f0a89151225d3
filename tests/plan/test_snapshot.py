"""`--against snapshot DIR`: exported `kubectl get -o yaml` objects, compared offline."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import RunCli
from tests.plan.helpers import GitRepo, container, deployment, edit


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.write(".gitops-guard.yaml", "environments:\n  prod: {path: apps, kind: plain}\n")
    desired = deployment()
    container(desired)["image"] = "web:1.3"
    repo.write("apps/web.yaml", desired)
    repo.write("apps/cm.yaml", {"apiVersion": "v1", "kind": "ConfigMap",
                                "metadata": {"name": "new"}, "data": {"a": "1"}})
    live = edit(deployment())
    live["metadata"].update(namespace="default", uid="1234", resourceVersion="99",
                            generation=4, managedFields=[{"manager": "kubectl"}])
    live["spec"]["progressDeadlineSeconds"] = 600  # a server default: not a change
    container(live)["terminationMessagePath"] = "/dev/termination-log"
    live["status"] = {"replicas": 2}
    other = {"apiVersion": "v1", "kind": "ConfigMap",
             "metadata": {"name": "kube-root-ca.crt", "namespace": "default"}}
    (repo.root / "snap").mkdir()
    (repo.root / "snap/export.yaml").write_text(yaml.safe_dump(
        {"apiVersion": "v1", "kind": "List", "items": [live, other]}))
    repo.commit("one")
    monkeypatch.chdir(repo.root)
    return repo


def test_snapshot_diff_ignores_server_defaults_and_unmanaged_objects(
        repo: GitRepo, run_cli: RunCli) -> None:
    result = run_cli("diff", "--against", "snapshot", "--snapshot", "snap", "-o", "json")
    assert result.code == 0, result.err
    [env] = result.json()["environments"]
    changes = {(c["id"]["kind"], c["id"]["name"]): c for c in env["changes"]}
    assert set(changes) == {("Deployment", "web"), ("ConfigMap", "new")}
    assert changes[("ConfigMap", "new")]["action"] == "added"
    assert [(f["path"], f["before"], f["after"]) for f in changes[("Deployment", "web")][
        "fields"]] == [("spec.template.spec.containers[name=web].image", "web:1.2", "web:1.3")]


def test_snapshot_requires_a_directory(repo: GitRepo, run_cli: RunCli) -> None:
    result = run_cli("diff", "--against", "snapshot")
    assert result.code == 2 and "no snapshot" in result.err
    missing = run_cli("diff", "--against", "snapshot", "--snapshot", "nope")
    assert missing.code == 2 and "nope" in missing.err
