"""`gitops-guard diff` over real git histories of a repository with Kustomize overlays."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitops_guard.plan import build
from tests.conftest import RunCli
from tests.plan.helpers import GitRepo, compare_golden

BASE_DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, helm.sh/chart: web-1.0}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: web:1.2
        env:
        - {name: LOG_LEVEL, value: info}
        - {name: PORT, value: "8080"}
        resources:
          limits: {cpu: 500m, memory: 256Mi}
"""
SERVICE = """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
"""
LEGACY = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: legacy}
data: {mode: old}
"""


def _overlay(ns: str, extra: str = "") -> str:
    return f"namespace: {ns}\nresources:\n- ../../base\n{extra}"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """Commit 1 (main): base + staging/production overlays. Working tree: commit 2's content."""
    repo = GitRepo(tmp_path / "repo")
    repo.write(".gitops-guard.yaml", "environments:\n  staging: {path: overlays/staging}\n"
               "  production: {path: overlays/production}\n")
    repo.write("base/deploy.yaml", BASE_DEPLOY)
    repo.write("base/service.yaml", SERVICE)
    repo.write("base/legacy.yaml", LEGACY)
    repo.write("base/kustomization.yaml",
               "resources:\n- deploy.yaml\n- service.yaml\n- legacy.yaml\n")
    repo.write("overlays/staging/kustomization.yaml", _overlay("staging"))
    repo.write("overlays/production/kustomization.yaml", _overlay("production"))
    repo.commit("base")
    monkeypatch.chdir(repo.root)
    return repo


def _second_commit(repo: GitRepo) -> None:
    """Image bump in the base, env vars reordered, chart label bumped (noise), a ConfigMap
    removed from the base, one added to staging only, production scaled by a patch."""
    deploy = BASE_DEPLOY.replace("web:1.2", "web:1.3").replace("web-1.0", "web-1.1")
    deploy = deploy.replace("        - {name: LOG_LEVEL, value: info}\n"
                            "        - {name: PORT, value: \"8080\"}\n",
                            "        - {name: PORT, value: \"8080\"}\n"
                            "        - {name: LOG_LEVEL, value: info}\n")
    repo.write("base/deploy.yaml", deploy)
    (repo.root / "base/legacy.yaml").unlink()
    repo.write("base/kustomization.yaml", "resources:\n- deploy.yaml\n- service.yaml\n")
    repo.write("overlays/staging/feature.yaml",
               "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: feature}\ndata: {on: 'yes'}\n")
    repo.write("overlays/staging/kustomization.yaml", _overlay("staging", "- feature.yaml\n"))
    repo.write("overlays/production/replicas.yaml",
               "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
               "spec: {replicas: 5}\n")
    repo.write("overlays/production/kustomization.yaml",
               _overlay("production", "patches:\n- path: replicas.yaml\n"))


def _kustomize(folder: Path) -> dict[tuple[str, str, str, str], Any]:
    out = subprocess.run(["kubectl", "kustomize", str(folder)], capture_output=True, check=True,
                         timeout=120).stdout
    return {(d["apiVersion"].rpartition("/")[0], d["kind"], d["metadata"].get("namespace", ""),
             d["metadata"]["name"]): d for d in yaml.safe_load_all(out) if d}


def test_sets_equal_object_by_object_kubectl_kustomize(repo: GitRepo, run_cli: RunCli,
                                                       tmp_path: Path) -> None:
    first = repo.git("rev-parse", "HEAD").strip()
    _second_commit(repo)
    second = repo.commit("second")
    result = run_cli("diff", "--base", first, "-o", "json")
    assert result.code == 0, result.err
    plan = result.json()
    # Independent oracle: check out both commits elsewhere and compare rendered objects.
    checkouts = {}
    for label, sha in (("one", first), ("two", second)):
        dest = tmp_path / label
        subprocess.run(["git", "clone", "-q", str(repo.root), str(dest)], check=True, timeout=60)
        subprocess.run(["git", "-C", str(dest), "checkout", "-q", sha], check=True, timeout=60)
        checkouts[label] = dest
    for env in plan["environments"]:
        old = _kustomize(checkouts["one"] / "overlays" / env["name"])
        new = _kustomize(checkouts["two"] / "overlays" / env["name"])
        want = {"added": set(new) - set(old), "removed": set(old) - set(new),
                "changed": {k for k in set(old) & set(new) if old[k] != new[k]}}
        got: dict[str, set[tuple[str, str, str, str]]] = {a: set() for a in want}
        for c in env["changes"]:
            i = c["id"]
            got[c["action"]].add((i["group"], i["kind"], i["namespace"], i["name"]))
        assert got == want, env["name"]
        assert want["changed"] and want["removed"]


def test_image_bump_in_base_shows_once_for_both_envs(repo: GitRepo, run_cli: RunCli) -> None:
    _second_commit(repo)
    out = run_cli("diff", "--base", "main", "--color", "never").out
    line = "spec.template.spec.containers[name=web].image: web:1.2 → web:1.3"
    assert out.count(line) == 1
    section = out.split("== staging, production ==")[1].split("==")[0]
    assert line in section
    # reordered env vars: an order change, never value changes
    assert "containers[name=web].env: order changed: LOG_LEVEL, PORT → PORT, LOG_LEVEL" in out
    assert "env[name=" not in out
    assert "1 field hidden by rule helm-chart-label" in out
    assert "ConfigMap feature changes in staging" not in out  # only in staging: not a divergence


def test_changed_selector_is_flagged_immutable(repo: GitRepo, run_cli: RunCli) -> None:
    repo.write("base/deploy.yaml", BASE_DEPLOY.replace("matchLabels: {app: web}",
                                                       "matchLabels: {app: web, tier: fe}"))
    result = run_cli("diff", "--base", "main", "-o", "json")
    for env in result.json()["environments"]:
        [change] = env["changes"]
        assert change["risks"][0]["code"] == "immutable-field"
        assert change["risks"][0]["level"] == 2
    text = run_cli("diff", "--base", "main", "--color", "never").out
    assert "! immutable-field: spec.selector is immutable" in text


def test_golden_outputs(repo: GitRepo, run_cli: RunCli) -> None:
    _second_commit(repo)
    for fmt, name in (("text", "kustomize.txt"), ("markdown", "kustomize.md"),
                      ("json", "kustomize.json")):
        result = run_cli("diff", "--base", "main", "-o", fmt, "--color", "never")
        assert result.code == 0, result.err
        compare_golden(name, result.out)


def test_divergence_between_environments_is_noted(repo: GitRepo, run_cli: RunCli) -> None:
    repo.write("overlays/production/kustomization.yaml", _overlay(
        "production", "images:\n- name: web\n  newTag: '1.2'\n"))
    repo.write("base/deploy.yaml", BASE_DEPLOY.replace("web:1.2", "web:1.3"))
    out = run_cli("diff", "--base", "main", "--color", "never").out
    assert "Deployment web changes in staging but not in production" in out
    md = run_cli("diff", "--base", "main", "-o", "markdown").out
    assert "Deployment web changes in staging but not in production" in md


def test_exit_codes(repo: GitRepo, run_cli: RunCli) -> None:
    assert run_cli("diff", "--base", "main", "--exit-code").code == 0
    clean = run_cli("diff", "--base", "main")
    assert clean.code == 0 and "No changes." in clean.out
    _second_commit(repo)
    assert run_cli("diff", "--base", "main").code == 0
    assert run_cli("diff", "--base", "main", "--exit-code").code == 1
    bad = run_cli("diff", "--base", "no-such-ref")
    assert bad.code == 2 and "no-such-ref" in bad.err
    assert run_cli("diff").code == 2
    unknown = run_cli("diff", "--base", "main", "--env", "qa")
    assert unknown.code == 2 and "--env qa: no such environment" in unknown.err


def test_env_selection(repo: GitRepo, run_cli: RunCli) -> None:
    _second_commit(repo)
    plan = run_cli("diff", "--base", "main", "--env", "production", "-o", "json").json()
    assert [e["name"] for e in plan["environments"]] == ["production"]


def test_working_tree_index_and_worktrees_untouched(repo: GitRepo, run_cli: RunCli,
                                                    tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    _second_commit(repo)
    repo.git("add", "base/deploy.yaml")  # one staged change, the rest unstaged/untracked
    state = [repo.git("status", "--porcelain=v2"), repo.git("worktree", "list"),
             repo.git("stash", "list"), (repo.root / ".git" / "index").read_bytes()]
    assert run_cli("diff", "--base", "main").code == 0
    assert state == [repo.git("status", "--porcelain=v2"), repo.git("worktree", "list"),
                     repo.git("stash", "list"), (repo.root / ".git" / "index").read_bytes()]
    assert list(scratch.iterdir()) == []


def test_base_tree_removed_on_ctrl_c(repo: GitRepo, run_cli: RunCli, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    seen: list[Path] = []
    real = build.render_objects

    def interrupted(env: Any, root: Path, config: Any, *args: Any, **kwargs: Any) -> Any:
        if root == repo.root:
            return real(env, root, config, *args, **kwargs)
        seen.append(root)  # the base tree: Ctrl-C while it is being rendered
        assert root.is_dir()
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "render_objects", interrupted)
    result = run_cli("diff", "--base", "main")
    assert result.code == 130
    assert seen and not seen[0].exists() and list(scratch.iterdir()) == []


def test_base_tree_removed_on_sigterm(repo: GitRepo, tmp_path: Path) -> None:
    """A real process, killed with SIGTERM while a slow renderer runs."""
    bin_dir, scratch = tmp_path / "bin", tmp_path / "scratch"
    bin_dir.mkdir()
    scratch.mkdir()
    for tool in ("kubectl", "kustomize"):
        (bin_dir / tool).write_text("#!/bin/sh\nsleep 30\n")
        (bin_dir / tool).chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "TMPDIR": str(scratch)}
    proc = subprocess.Popen([sys.executable, "-m", "gitops_guard", "diff", "--base", "main"],
                            cwd=repo.root, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while not any(scratch.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert any(scratch.iterdir()), "the base tree was never written"
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert list(scratch.iterdir()) == []


def test_whole_repo_is_one_environment_without_config(tmp_path: Path, run_cli: RunCli,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    repo = GitRepo(tmp_path / "plain")
    repo.write("apps/web.yaml", BASE_DEPLOY)
    repo.write("apps/svc.yaml", SERVICE)
    repo.commit("one")
    repo.write("apps/web.yaml", BASE_DEPLOY.replace("replicas: 2", "replicas: 0"))
    (repo.root / "apps/svc.yaml").unlink()
    monkeypatch.chdir(repo.root / "apps")
    plan = run_cli("diff", "--base", "HEAD", "-o", "json").json()
    [env] = plan["environments"]
    assert env["name"] == "repo"
    assert {(c["id"]["kind"], c["action"]) for c in env["changes"]} == {
        ("Deployment", "changed"), ("Service", "removed")}
    dep = next(c for c in env["changes"] if c["id"]["kind"] == "Deployment")
    assert dep["source"] == "apps/web.yaml"
    assert dep["risks"][0]["code"] == "scale-to-zero"
