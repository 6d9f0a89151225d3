"""Argo CD Applications rendered as the repo-server and the application controller would:
namespaces as the controller places them, app of apps (render/argo/application.py;
sources: test_app_source.py, rendering with each tool: test_app_render.py)."""
from __future__ import annotations

from gitops_guard.render import affected_environments
from gitops_guard.render.model import Environment
from tests.plan.helpers import GitRepo
from tests.render.argo.app_helpers import app, objects, render
from tests.render.argo.helpers import URL


def test_destination_namespace_as_the_controller_normalizes(app_repo: GitRepo) -> None:
    got = objects(render(app_repo, [app("web", {"path": "web"})]))
    assert set(got) == {"Deployment web/web", "ClusterRole reader", "ConfigMap kept/pinned"}
    assert "namespace" not in got["ClusterRole reader"]["metadata"]


def test_app_of_apps_recursion_and_remote_sources(app_repo: GitRepo) -> None:
    app_repo.write("children/web.yaml", app("web", {"path": "web"}))
    app_repo.write("children/self.yaml", app("root", {"path": "children"}))  # a cycle
    app_repo.commit("children")
    result = render(app_repo, [app("root", {"path": "children"}, namespace="argocd"),
                               app("far", {"repoURL": "https://github.com/other/repo",
                                           "path": "x"}),
                               app("gone", {"path": "web", "targetRevision": "no-such-branch"})])
    got = objects(result, skip_apps=False)
    assert {"Application argocd/web", "Deployment web/web"} <= set(got)
    assert result.skipped == [
        "Application far: source https://github.com/other/repo is another repository",
        "Application gone: targetRevision no-such-branch is not in this clone (fetch it, "
        "e.g. `git fetch origin no-such-branch`)"]


def test_app_of_apps_chart_is_affected_by_what_its_applications_read(app_repo: GitRepo) -> None:
    """A chart templating Applications (argocd-example-apps' `apps`): their paths are
    known only once rendered, so every file is an input of the environment."""
    app_repo.write("apps/Chart.yaml", "apiVersion: v2\nname: apps\nversion: 1.0.0\n")
    app_repo.write("apps/templates/web.yaml", "apiVersion: argoproj.io/v1alpha1\n"
                   "kind: Application\nmetadata: {name: web}\nspec:\n  source:\n"
                   "    repoURL: " + URL + "\n    path: {{ .Values.path }}\n")
    app_repo.write("apps/values.yaml", "path: web\n")
    envs = {"apps": Environment("apps", "apps", "helm"), "chart": Environment("chart", "chart",
                                                                              "helm")}
    assert affected_environments(["web/deploy.yaml"], envs, app_repo.root) == ["apps"]
