"""`--against live`: GET + server-side dry-run apply, against a stand-in API over real HTTP."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import RunCli, requires
from tests.fakes.kube_api import FakeKubeApi, running
from tests.plan.helpers import GitRepo, container, deployment, edit


@pytest.fixture
def api() -> Iterator[FakeKubeApi]:
    with running() as server:
        yield server


@requires("live")
def test_live_diff_uses_get_and_dry_run_apply(api: FakeKubeApi, tmp_path: Path,
                                              run_cli: RunCli,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    live = edit(deployment())
    live["metadata"].update(namespace="default", uid="u-1", resourceVersion="7", generation=3,
                            managedFields=[{"manager": "kubectl"}])
    live["spec"]["progressDeadlineSeconds"] = 600
    live["status"] = {"readyReplicas": 2}
    api.add(live)
    api.add({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db",
             "namespace": "default"}, "data": {"password": "b2xkLXNlY3JldA=="}})
    kubeconfig = api.kubeconfig(tmp_path)
    repo = GitRepo(tmp_path / "repo")
    repo.write(".gitops-guard.yaml", "environments:\n  prod:\n    path: apps\n    kind: plain\n"
               f"    live: {{context: fake, kubeconfig: {kubeconfig}}}\n")
    desired = deployment()
    container(desired)["image"] = "web:1.3"
    repo.write("apps/web.yaml", desired)
    repo.write("apps/secret.yaml", {"apiVersion": "v1", "kind": "Secret",
                                    "metadata": {"name": "db"},
                                    "data": {"password": "bmV3LWxpdmUtY2FuYXJ5LXZhbHVl"}})
    repo.write("apps/new.yaml", {"apiVersion": "v1", "kind": "ConfigMap",
                                 "metadata": {"name": "new"}, "data": {"a": "1"}})
    monkeypatch.chdir(repo.root)
    result = run_cli("diff", "--against", "live", "-o", "json")
    assert result.code == 0, result.err
    [env] = result.json()["environments"]
    changes = {(c["id"]["kind"], c["id"]["name"]): c for c in env["changes"]}
    assert changes[("ConfigMap", "new")]["action"] == "added"
    dep = changes[("Deployment", "web")]
    # server defaults kept by the dry-run merge are not changes; bookkeeping is noise
    assert [(f["path"], f["before"], f["after"]) for f in dep["fields"]] == [
        ("spec.template.spec.containers[name=web].image", "web:1.2", "web:1.3")]
    assert env["hidden"] == {"server-metadata": 2}  # generation bumped by both dry runs
    secret = changes[("Secret", "db")]
    assert secret["fields"][0]["op"] == "masked"
    assert "new-live-canary-value" not in result.out and "bmV3LWxpdmU" not in result.out
    patches = [p for m, p in api.requests if m == "PATCH"]
    assert len(patches) == 2 and all("dryRun=All" in p for p in patches)
    assert "/apis/apps/v1/namespaces/default/deployments/web" in {p for _, p in api.requests}


@requires("live")
def test_unreachable_cluster_is_an_environment_error(tmp_path: Path, run_cli: RunCli,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    with running() as api:
        kubeconfig = api.kubeconfig(tmp_path)
    repo = GitRepo(tmp_path / "repo")
    repo.write(".gitops-guard.yaml", "environments:\n  prod:\n    path: apps\n    kind: plain\n"
               f"    live: {{kubeconfig: {kubeconfig}}}\n")
    repo.write("apps/cm.yaml", {"apiVersion": "v1", "kind": "ConfigMap",
                                "metadata": {"name": "a"}})
    monkeypatch.chdir(repo.root)
    result = run_cli("diff", "--against", "live")
    assert result.code == 2 and "GET /api/v1" in result.err
