"""A source whose head render fails or is refused is unknown, never "removed".

kustomize-controller (or Argo CD) fails such a source and applies, and prunes, nothing
of it: everything its build would have produced, its `../base` included, is neither
added, removed nor changed in the plan, and the source is listed as not rendered with
the reason. Another source of the same environment that rendered is still planned.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunCli, requires
from tests.hardening.test_ci_bounds import alias_bomb
from tests.plan.helpers import GitRepo

REMOTE = "https://github.com/example/gitops.git"
NAMESPACE = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "podinfo"}}
SETTINGS = {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "podinfo-settings", "namespace": "podinfo"},
            "data": {"color": "blue"}}
WEB = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web", "namespace": "web"},
       "data": {"mode": "blue"}}


def _application(name: str, path: str) -> dict[str, Any]:
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
            "metadata": {"name": name, "namespace": "argocd"},
            "spec": {"project": "default",
                     "destination": {"server": "https://kubernetes.default.svc",
                                     "namespace": name},
                     "source": {"repoURL": REMOTE, "path": path, "targetRevision": "HEAD"}}}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """Two apps in each environment: `staging` (a plain dir of overlays, as Flux's
    generator builds it) and `argo` (Applications of this repository)."""
    repo = GitRepo(tmp_path / "gitops")
    repo.git("remote", "add", "origin", REMOTE)
    repo.write(".gitops-guard.yaml", "environments:\n  staging: {path: staging}\n"
               "  argo: {path: argo}\nload_limits: {max_expanded_bytes: 100000}\n")
    repo.write("base/podinfo/kustomization.yaml", "resources: [namespace.yaml, settings.yaml]\n")
    repo.write("base/podinfo/namespace.yaml", NAMESPACE)
    repo.write("base/podinfo/settings.yaml", SETTINGS)
    repo.write("staging/podinfo/kustomization.yaml", "resources: [../../base/podinfo]\n")
    repo.write("staging/web/kustomization.yaml", "resources: [web.yaml]\n")
    repo.write("staging/web/web.yaml", WEB)
    repo.write("argo/apps.yaml", [_application("podinfo", "staging/podinfo"),
                                  _application("web", "staging/web")])
    repo.commit("apps")
    repo.write("staging/web/web.yaml", {**WEB, "data": {"mode": "green"}})  # the real change
    monkeypatch.chdir(repo.root)
    return repo


def _plan(run_cli: RunCli, env: str) -> str:
    result = run_cli("diff", "--base", "main", "--env", env, "--color", "never")
    assert result.code in (0, 1), result.err
    return result.out


def _assert_unknown(out: str, env: str, unchanged: int, why: str) -> None:
    assert f"{env}: 0 added, 1 changed, 0 removed, {unchanged} unchanged" in out, out
    assert "Namespace podinfo" not in out and "podinfo-settings" not in out, out
    assert "~ ConfigMap web/web" in out and "data.mode: blue → green" in out, out
    assert "not rendered" in out.lower() and why in out, out


@requires("kustomize")
def test_a_broken_overlay_leaves_its_base_unknown_not_removed(repo: GitRepo,
                                                              run_cli: RunCli) -> None:
    repo.write("staging/podinfo/kustomization.yaml",
               "resources: [../../base/podinfo, missing.yaml]\n")
    out = _plan(run_cli, "staging")
    _assert_unknown(out, "staging", 0, "kustomize build failed")
    assert "(GG101)" in out
    assert _plan(run_cli, "staging") == out  # the render cache keeps what failed


@requires("kustomize")
def test_a_base_that_expands_too_far_leaves_every_overlay_of_it_unknown(
        repo: GitRepo, run_cli: RunCli) -> None:
    repo.write("base/podinfo/bomb.yaml", alias_bomb("kb", 200).replace("x" * (8 << 20),
                                                                       "x" * 1000))
    repo.write("base/podinfo/kustomization.yaml",
               "resources: [namespace.yaml, settings.yaml, bomb.yaml]\n")
    out = _plan(run_cli, "staging")
    _assert_unknown(out, "staging", 0, "alias expansion exceeds 100,000 bytes")
    assert "(GG122)" in out and "x" * 100 not in out


@requires("kustomize")
def test_an_application_path_escaping_the_repository_is_unknown(
        repo: GitRepo, run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "outside.yaml").write_text("secret: value\n")
    (repo.root / "staging/podinfo/leak.yaml").symlink_to(tmp_path / "outside.yaml")
    out = _plan(run_cli, "argo")
    _assert_unknown(out, "argo", 2, "is a symlink to outside the repository")  # the Applications
    assert "(GG120)" in out and "secret: value" not in out
