"""Plans over real git clones with a remote: base and head agree on "this repository",
and what could not be rendered is listed once per environment, never hidden behind
"No changes."."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunCli, requires
from tests.plan.helpers import GitRepo

REMOTE = "https://github.com/example/gitops.git"
OTHER = "https://github.com/example/elsewhere.git"
GUESTBOOK = {
    "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "guestbook"},
    "spec": {"selector": {"matchLabels": {"app": "guestbook"}},
             "template": {"metadata": {"labels": {"app": "guestbook"}},
                          "spec": {"containers": [{"name": "ui", "image": "guestbook:0.1"}]}}},
}
SETTINGS = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"},
            "data": {"mode": "blue"}}


def _application(name: str, url: str, path: str, **extra: Any) -> dict[str, Any]:
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
            "metadata": {"name": name, "namespace": "argocd"},
            "spec": {"project": "default",
                     "destination": {"server": "https://kubernetes.default.svc",
                                     "namespace": name},
                     "source": {"repoURL": url, "path": path, "targetRevision": "HEAD",
                                **extra}}}


@pytest.fixture
def clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """A clone of `REMOTE` (origin configured as `git clone` would) with an app-of-apps."""
    repo = GitRepo(tmp_path / "gitops")
    repo.git("remote", "add", "origin", REMOTE)
    repo.write(".gitops-guard.yaml", "environments:\n  apps: {path: apps}\n")
    repo.write("guestbook/deploy.yaml", GUESTBOOK)
    repo.write("guestbook/settings.yaml", SETTINGS)
    # scp-like form of the same remote: still this repository
    repo.write("apps/guestbook.yaml", _application("guestbook", "git@github.com:example/gitops",
                                                   "guestbook"))
    repo.commit("apps")
    monkeypatch.chdir(repo.root)
    return repo


def test_clean_clone_of_an_app_of_apps_plans_no_change(clone: GitRepo, run_cli: RunCli) -> None:
    result = run_cli("diff", "--base", "HEAD", "-o", "json")
    assert result.code == 0, result.err
    env = result.json()["environments"][0]
    assert env["changes"] == [] and env["not_rendered"] == []
    assert env["summary"]["unchanged"] == 3  # the Application and the two guestbook objects
    assert run_cli("diff", "--base", "HEAD").out.rstrip().endswith("\nNo changes.")


def test_change_inside_an_application_of_this_repo_is_the_only_change(
        clone: GitRepo, run_cli: RunCli) -> None:
    clone.write("guestbook/settings.yaml", {**SETTINGS, "data": {"mode": "green"}})
    out = run_cli("diff", "--base", "HEAD", "--color", "never").out
    assert "apps: 0 added, 1 changed, 0 removed, 2 unchanged" in out
    assert "~ ConfigMap guestbook/settings" in out and "data.mode: blue → green" in out


def test_flux_git_repository_of_this_repo_plans_no_change(clone: GitRepo,
                                                          run_cli: RunCli) -> None:
    clone.write("apps/guestbook.yaml", [
        {"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
         "metadata": {"name": "gitops", "namespace": "flux-system"},
         "spec": {"url": "ssh://git@github.com/example/gitops", "ref": {"branch": "main"}}},
        {"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
         "metadata": {"name": "guestbook", "namespace": "flux-system"},
         "spec": {"sourceRef": {"kind": "GitRepository", "name": "gitops"},
                  "path": "./guestbook", "targetNamespace": "guestbook"}},
    ])
    clone.commit("flux")
    plan = run_cli("diff", "--base", "HEAD", "-o", "json").json()["environments"][0]
    assert plan["changes"] == [] and plan["summary"]["unchanged"] == 4


def test_base_tree_uses_the_clones_remotes_not_the_directory_around_it(
        clone: GitRepo, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The base tree is written to the temp dir; a git repository around that dir (with
    another remote) must not decide what "this repository" is."""
    outer = GitRepo(tmp_path / "outer")
    outer.git("remote", "add", "origin", OTHER)
    monkeypatch.setenv("TMPDIR", str(outer.root))
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", str(outer.root))
    env = run_cli("diff", "--base", "HEAD", "-o", "json").json()["environments"][0]
    assert env["changes"] == [] and env["summary"]["unchanged"] == 3


def _unrenderable(clone: GitRepo) -> None:
    """Two sources that cannot be rendered: another repository, a missing chart dependency."""
    clone.write("apps/remote.yaml", _application("remote", OTHER, "deploy"))
    clone.write("apps/chart.yaml", _application("chart", REMOTE, "chart"))
    clone.write("chart/Chart.yaml", "apiVersion: v2\nname: chart\nversion: 1.0.0\n"
                "dependencies:\n- name: redis\n  version: 1.0.0\n"
                "  repository: https://charts.example.com\n")
    clone.write("chart/templates/cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    clone.commit("unrenderable")


def test_unrendered_sources_are_counted_and_listed_once(clone: GitRepo,
                                                        run_cli: RunCli) -> None:
    _unrenderable(clone)
    out = run_cli("diff", "--base", "HEAD", "--color", "never").out
    assert "apps: 0 added, 0 changed, 0 removed, 5 unchanged" in out
    assert "  2 sources not rendered (changes there are not shown):" in out
    assert out.count(OTHER.removesuffix(".git")) == 1, out
    assert out.count("redis") == 1, out
    assert "apps/remote.yaml:1:1: " in out  # located
    assert "base:" not in out
    assert "\nNo changes.\n" not in out
    assert out.rstrip().endswith("No changes in what was rendered; 2 sources not rendered "
                                 "(apps: 2), listed above with the reason.")


def test_unrendered_sources_in_markdown_and_json(clone: GitRepo, run_cli: RunCli) -> None:
    _unrenderable(clone)
    md = run_cli("diff", "--base", "HEAD", "-o", "markdown").out
    assert "| apps | 0 | 0 | 0 | 5 | 2 |  |" in md
    assert "<summary>apps: 2 sources not rendered" in md
    assert md.count("elsewhere") == 1 and md.count("redis") == 1
    assert "\nNo changes.\n" not in md
    env = run_cli("diff", "--base", "HEAD", "-o", "json").json()["environments"][0]
    assert len(env["not_rendered"]) == 2 and env["notes"] == []


def test_a_source_unrendered_only_at_base_is_marked_base(clone: GitRepo,
                                                         run_cli: RunCli) -> None:
    _unrenderable(clone)
    (clone.root / "apps/remote.yaml").unlink()
    out = run_cli("diff", "--base", "HEAD", "--color", "never").out
    assert "- Application.argoproj.io argocd/remote" in out
    lines = [line for line in out.splitlines() if "elsewhere" in line]
    assert len(lines) == 1 and lines[0].strip().startswith("- base: apps/remote.yaml:1:1:")


CHART_SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-web
spec:
  ports: [{port: 80}]
"""


@pytest.mark.parametrize("broken", [
    ("charts/web/templates/service.yaml", 'metadata:\n  name: "unclosed\n'),  # helm: not YAML
    ("kustom/kustomization.yaml", "resources: [missing.yaml]\n"),  # kustomize build fails
])
@requires("helm")
def test_a_source_that_fails_to_render_shows_no_removals(
        clone: GitRepo, run_cli: RunCli, broken: tuple[str, str]) -> None:
    # The objects of a source that did not render at head are unknown, not deleted: the
    # plan lists the source as not rendered and shows no removal for them.
    clone.write("charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n")
    clone.write("charts/web/templates/service.yaml", CHART_SERVICE)
    clone.write("kustom/kustomization.yaml", "resources: [settings.yaml]\n")
    clone.write("kustom/settings.yaml", SETTINGS)
    clone.write(".gitops-guard.yaml", "environments:\n  web: {path: charts/web}\n"
                "  kustom: {path: kustom}\n")
    clone.commit("two sources")
    path, text = broken
    clone.write(path, text)
    plans = run_cli("diff", "--base", "HEAD", "-o", "json").json()["environments"]
    changed = {e["name"]: [c["action"] for c in e["changes"]] for e in plans}
    assert changed == {"web": [], "kustom": []}
    unrendered = [line for e in plans for line in e["not_rendered"]]
    assert len(unrendered) == 1 and path.split("/")[0] in unrendered[0]


def test_with_no_environment_a_changed_chart_is_listed_not_planned_as_no_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli) -> None:
    """argocd-example-apps before `init`: the Applications live only in a chart template,
    so editing it changes no plain manifest; the plan says so instead of "No changes."."""
    repo = GitRepo(tmp_path / "gitops")
    repo.write("apps/Chart.yaml", "apiVersion: v2\nname: apps\nversion: 1.0.0\n")
    repo.write("apps/templates/applications.yaml", "{{- range .Values.apps }}\n"
               "kind: Application\n{{ end }}\n")
    repo.write("guestbook/deploy.yaml", GUESTBOOK)
    repo.commit("apps")
    monkeypatch.chdir(repo.root)
    repo.write("apps/templates/applications.yaml", "{{- range .Values.apps }}\n"
               "kind: Application # changed\n{{ end }}\n")
    repo.write("apps/values.yaml", "apps: []\n")
    out = run_cli("diff", "--base", "HEAD", "--color", "never").out
    assert "repo: 0 added, 0 changed, 0 removed, 1 unchanged" in out
    assert ("- apps/Chart.yaml: Helm chart apps (2 changed files: "
            "apps/templates/applications.yaml, apps/values.yaml): no environment renders it, "
            "so what it deploys is not planned; add one to .gitops-guard.yaml "
            "(`gitops-guard init` proposes app-of-apps charts) (GG104)") in out
    assert "No changes.\n" not in out
    assert out.rstrip().endswith("1 source not rendered (repo: 1), listed above with the reason.")
