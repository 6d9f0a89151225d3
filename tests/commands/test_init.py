from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from gitops_guard.config import load_config
from tests.conftest import GitRepo, RunCli

EXAMPLE = Path(__file__).parents[2] / "examples" / "gitops-repo"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    skip = shutil.ignore_patterns(".gitops-guard.yaml")
    shutil.copytree(EXAMPLE, tmp_path / "repo", ignore=skip)
    root = tmp_path / "repo"
    (root / ".git").mkdir()
    (root / "charts" / "web").mkdir(parents=True)
    chart = "apiVersion: v2\nname: web\nversion: 1.0.0\n"
    (root / "charts" / "web" / "Chart.yaml").write_text(chart)
    monkeypatch.chdir(root)
    return root


def test_init_writes_a_valid_config_with_the_environments_it_finds(
    repo: Path, run_cli: RunCli,
) -> None:
    result = run_cli("init")
    assert result.code == 0
    config = load_config(repo / ".gitops-guard.yaml", repo)
    assert {n: e.path for n, e in config.environments.items()} == {
        "production": "clusters/production", "staging": "clusters/staging"}
    assert "# Helm charts found: charts/web" in (repo / ".gitops-guard.yaml").read_text()
    assert "uses: gitops-guard/gitops-guard@main" in result.out
    assert "security-events: write" in result.out


def test_init_keeps_pre_commit_comments_and_is_idempotent(repo: Path, run_cli: RunCli) -> None:
    hooks = repo / ".pre-commit-config.yaml"
    hooks.write_text(
        "# team hooks: keep this comment\nrepos:\n"
        "  - repo: https://github.com/pre-commit/pre-commit-hooks\n"
        "    rev: v4.6.0  # pinned on purpose\n"
        "    hooks:\n      - id: check-yaml\n")
    assert run_cli("init").code == 0
    text = hooks.read_text()
    assert "# team hooks: keep this comment" in text
    assert "rev: v4.6.0  # pinned on purpose" in text
    assert "id: gitops-guard" in text
    again = run_cli("init", "--force")
    assert again.code == 0
    assert "kept .pre-commit-config.yaml" in again.out
    assert hooks.read_text().count("id: gitops-guard") == 1


def test_init_does_not_overwrite_without_force(repo: Path, run_cli: RunCli) -> None:
    (repo / ".gitops-guard.yaml").write_text("strict: false\n")
    result = run_cli("init")
    assert result.code == 2
    assert "already exists; use --force" in result.err
    assert (repo / ".gitops-guard.yaml").read_text() == "strict: false\n"


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


FLUX_KS = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"


def test_init_finds_flux_cluster_directories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    root = tmp_path / "fleet"
    _write(root, {
        ".git/HEAD": "ref: refs/heads/main\n",
        # flux bootstrap: no kustomization.yaml in the cluster dir itself
        "clusters/staging/flux-system/gotk-sync.yaml": FLUX_KS,
        "clusters/staging/flux-system/kustomization.yaml": "resources: [gotk-sync.yaml]\n",
        "clusters/staging/apps.yaml": FLUX_KS,
        "clusters/production/flux-system/gotk-sync.yaml": FLUX_KS,
        "clusters/production/flux-system/kustomization.yaml": "resources: []\n",
        # the Flux Operator's layout
        "fleet/edge/flux-system/instance.yaml": "apiVersion: fluxcd.controlplane.io/v1\n"
                                                "kind: FluxInstance\n",
        # a cluster dir applied some other way, with Flux Kustomizations
        "clusters/lab/infra.yaml": FLUX_KS,
        # a namespace folder named flux-system is not a cluster
        "apps/base/flux-system/release.yaml": "kind: HelmRelease\n",
    })
    monkeypatch.chdir(root)

    result = run_cli("init", "--no-pre-commit")

    assert result.code == 0
    config = load_config(root / ".gitops-guard.yaml", root)
    assert {n: e.path for n, e in config.environments.items()} == {
        "lab": "clusters/lab", "production": "clusters/production",
        "staging": "clusters/staging", "edge": "fleet/edge"}


def test_init_shards_writes_the_sharded_workflow_and_prints_gitlabs(
    repo: Path, run_cli: RunCli,
) -> None:
    import yaml

    result = run_cli("init", "--no-pre-commit", "--shards", "6")
    assert result.code == 0, result.err
    workflow = repo / ".github" / "workflows" / "gitops-guard.yaml"
    jobs = yaml.safe_load(workflow.read_text())["jobs"]
    assert list(jobs) == ["shards", "shard", "merge"]
    steps = "\n".join(str(s.get("run", "")) for s in jobs["shards"]["steps"])
    assert "gitops-guard ci shards --max 6" in steps
    assert jobs["shard"]["strategy"]["matrix"] == \
        "${{ fromJSON(needs.shards.outputs.matrix) }}"
    merge = "\n".join(str(s.get("run", "")) for s in jobs["merge"]["steps"])
    assert "gitops-guard ci merge bundles/*/bundle.json" in merge
    gitlab = yaml.safe_load(result.out.split("in .gitlab-ci.yml:\n", 1)[1])
    assert gitlab["gitops-guard:shard"]["parallel"] == 6
    with pytest.raises(SystemExit) as bad:  # argparse: usage error, exit 2
        run_cli("init", "--force", "--no-pre-commit", "--shards", "0")
    assert bad.value.code == 2


def _init_environments(root: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli
                       ) -> dict[str, dict[str, str]]:
    (root / ".git").mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(root)
    result = run_cli("init", "--no-pre-commit")
    assert result.code == 0, result.err
    load_config(root / ".gitops-guard.yaml", root)  # valid
    written = yaml.safe_load((root / ".gitops-guard.yaml").read_text())
    envs: dict[str, dict[str, str]] = written.get("environments") or {}
    return envs


FLUX_INSTANCE_RELEASE = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: flux-instance}
spec:
  interval: 1h
  chartRef: {kind: OCIRepository, name: flux-instance}
  values:
    instance:
      sync:
        kind: GitRepository
        url: https://github.com/example/home-ops
        path: kubernetes/flux/cluster
"""


def test_init_finds_the_path_a_flux_instance_syncs_in_a_home_lab_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    """The home-lab layout: no clusters/ dir, no flux-system/ dir; the flux-instance chart
    syncs kubernetes/flux/cluster, whose Flux Kustomization applies kubernetes/apps."""
    root = tmp_path / "home-ops"
    _write(root, {
        "kubernetes/flux/cluster/ks.yaml": FLUX_KS + "metadata: {name: cluster-apps}\n"
                                           "spec: {path: ./kubernetes/apps}\n",
        "kubernetes/apps/flux-system/flux-instance/app/helmrelease.yaml": FLUX_INSTANCE_RELEASE,
        "kubernetes/apps/default/echo/ks.yaml": FLUX_KS + "spec: {path: ./kubernetes/apps/x}\n",
        "kubernetes/components/common/kustomization.yaml": "kind: Component\n",
        "bootstrap/helmfile.yaml": "releases: [{name: cilium, chart: cilium/cilium}]\n",
    })
    assert _init_environments(root, monkeypatch, run_cli) == {
        "cluster": {"path": "kubernetes/flux/cluster"}}


@pytest.mark.parametrize(("where", "text"), [
    ("kubernetes/apps/flux-system/flux-instance/app/helm/values.yaml",
     "instance:\n  sync: {kind: GitRepository, path: ./kubernetes/flux/cluster}\n"),
    ("bootstrap/instance.yaml", "apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\n"
     "metadata: {name: flux}\nspec:\n"
     "  sync: {kind: GitRepository, path: kubernetes/flux/cluster}\n"),
    ("kubernetes/flux/sync.yaml", FLUX_KS + "metadata: {name: flux-system}\n"
     "spec: {path: ./kubernetes/flux/cluster}\n"),
])
def test_init_reads_the_synced_path_wherever_the_repo_declares_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli, where: str, text: str,
) -> None:
    root = tmp_path / "lab"
    _write(root, {"kubernetes/flux/cluster/apps.yaml": FLUX_KS, where: text,
                  # a path that is not a directory of the repo is not an environment
                  "other/instance.yaml": text.replace("kubernetes/flux/cluster", "gone/x")})
    assert _init_environments(root, monkeypatch, run_cli) == {
        "cluster": {"path": "kubernetes/flux/cluster"}}


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
