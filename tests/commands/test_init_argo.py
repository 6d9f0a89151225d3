"""`init` on Argo CD repositories (gitops_guard/commands/init_argo.py): app-of-apps charts
and root Application dirs proposed as environments, those that only deploy other
repositories skipped, and a repository checked and planned through its Applications."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.commands.test_init import _init_environments, _write
from tests.conftest import GitRepo, RunCli

APP_OF_APPS_TEMPLATE = """\
{{- range .Values.applications }}
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {{ .name | quote }}
  namespace: argocd
spec:
  project: default
  destination:
    namespace: {{ .name | quote }}
    server: https://kubernetes.default.svc
  source:
    path: {{ .name | quote }}
    repoURL: {{ $.Values.repoURL }}
    targetRevision: HEAD
---
{{ end -}}
"""


def test_init_proposes_an_argo_app_of_apps_chart_and_root_app_dirs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    root = tmp_path / "argo"
    child = ("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: web}\n"
             "spec:\n  source: {repoURL: https://example.org/r.git, path: guestbook}\n")
    _write(root, {
        "apps/Chart.yaml": "apiVersion: v2\nname: apps\nversion: 1.0.0\n",
        "apps/values.yaml": "repoURL: https://example.org/r.git\n"
                            "applications: [{name: guestbook}]\n",
        "apps/templates/applications.yaml": APP_OF_APPS_TEMPLATE,
        "guestbook/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\n",
        # a root Application dir pointing at a child dir of Applications: only the root
        "argocd/root/root.yaml": child.replace("guestbook", "argocd/children"),
        "argocd/children/web.yaml": child,
        # gitops-examples' shape: the root Application beside the dirs it deploys; the dir,
        # loaded whole, would deploy apps/ and manifests/ a second time: the file is the root
        "demo/pricelist-app.yaml": child.replace("guestbook", "demo/apps"),
        "demo/apps/frontend.yaml": child.replace("guestbook", "demo/manifests/frontend"),
        "demo/manifests/frontend/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\n",
    })
    assert _init_environments(root, monkeypatch, run_cli) == {
        "apps": {"path": "apps"}, "root": {"path": "argocd/root"},
        "pricelist-app": {"path": "demo/pricelist-app.yaml"}}


def test_after_init_an_app_of_apps_repo_is_checked_and_planned_through_its_applications(
    git_repo: GitRepo, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
    requires: Callable[..., None],
) -> None:
    """argocd-example-apps' shape: Applications only in a chart's template. Rendered, each
    app gets its destination namespace (no GG505), and a template change is planned."""
    requires("helm")
    git_repo.git("remote", "add", "origin", "https://example.org/r.git")
    git_repo.write("apps/Chart.yaml", "apiVersion: v2\nname: apps\nversion: 1.0.0\n")
    git_repo.write("apps/values.yaml", "repoURL: https://example.org/r.git\n"
                                       "applications: [{name: guestbook}]\n")
    git_repo.write("apps/templates/applications.yaml", APP_OF_APPS_TEMPLATE)
    git_repo.write("guestbook/deployment.yaml", GUESTBOOK)
    monkeypatch.chdir(git_repo.root)
    assert run_cli("init", "--no-pre-commit").code == 0
    git_repo.commit("init")

    found = run_cli("check", "-o", "json").json()["findings"]
    assert [f for f in found if f["rule_id"] in ("GG505", "GG103", "GG104")] == []
    assert {f["env"] for f in found if f["path"] == "guestbook/deployment.yaml"} == {"apps"}

    git_repo.write("apps/templates/applications.yaml",
                   APP_OF_APPS_TEMPLATE.replace("targetRevision: HEAD", "targetRevision: v2"))
    plan = run_cli("diff", "--base", "HEAD", "--color", "never")
    assert "No changes." not in plan.out
    assert "~ Application.argoproj.io argocd/guestbook" in plan.out
    assert "spec.source.targetRevision: HEAD → v2" in plan.out


GUESTBOOK = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: guestbook-ui}
spec:
  selector: {matchLabels: {app: guestbook-ui}}
  template:
    metadata: {labels: {app: guestbook-ui}}
    spec:
      containers: [{name: ui, image: "example/guestbook:0.2"}]
"""


def test_init_skips_root_applications_that_deploy_only_other_repositories(
    git_repo: GitRepo, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    """gitops-examples' cmp/ example: an Application of another repo beside patch files;
    nothing of it renders here, so it is no environment (and does not claim the repo)."""
    git_repo.git("remote", "add", "origin", "https://github.com/example/fleet.git")
    app = ("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: %s}\n"
           "spec:\n  source: {repoURL: '%s', path: ./}\n")
    git_repo.write("cmp/sample-app.yaml", app % ("demo", "https://github.com/example/other"))
    git_repo.write("cmp/repo-server-patch.yaml", "apiVersion: apps/v1\nkind: Deployment\n")
    git_repo.write("mine/root.yaml", app % ("root", "git@github.com:example/fleet"))
    assert _init_environments(git_repo.root, monkeypatch, run_cli) == {"mine": {"path": "mine"}}
