"""Argo CD Applications rendered as the repo-server and the application controller would:
each case compares the rendered set object by object with what Argo CD applies
(kubectl kustomize of the edited kustomization, helm values precedence, namespaces)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitops_guard.render import affected_environments, render_environment
from gitops_guard.render.model import Environment, RenderResult
from tests.conftest import requires
from tests.plan.helpers import GitRepo

URL = "https://github.com/example/fleet.git"
DEPLOY: dict[str, Any] = {
    "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
          "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                   "template": {"metadata": {"labels": {"app": "web"}},
                                "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]}}}}
ROLE = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
        "metadata": {"name": "reader", "namespace": "stray"}, "rules": []}
CONFIG = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "pinned",
                                                               "namespace": "kept"}}
CHART = """\
apiVersion: v2
name: web
version: 1.0.0
"""
CHART_TEMPLATE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels: {tier: {{ .Values.tier | quote }}, region: {{ .Values.region | quote }}}
spec:
  replicas: {{ .Values.replicas }}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: "nginx:{{ .Values.tag }}"
        env: [{name: CERT, value: {{ .Values.cert | quote }}}]
"""
CRD = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
       "metadata": {"name": "widgets.example.com"},
       "spec": {"group": "example.com", "scope": "Namespaced",
                "names": {"kind": "Widget", "plural": "widgets"},
                "versions": [{"name": "v1", "served": True, "storage": True,
                              "schema": {"openAPIV3Schema": {"type": "object"}}}]}}


def app(name: str, source: dict[str, Any] | None = None, namespace: str = "",
        sources: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"project": "default",
                            "destination": {"server": "https://kubernetes.default.svc",
                                            "namespace": namespace or name}}
    if sources is not None:
        spec["sources"] = sources
    else:
        spec["source"] = {"repoURL": URL, "targetRevision": "HEAD", **(source or {})}
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
            "metadata": {"name": name, "namespace": "argocd"}, "spec": spec}


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "fleet")
    repo.git("remote", "add", "origin", "git@github.com:example/fleet")
    repo.write("web/deploy.yaml", DEPLOY)
    repo.write("web/role.yaml", ROLE)
    repo.write("web/pinned.yaml", CONFIG)
    repo.write("chart/Chart.yaml", CHART)
    repo.write("chart/values.yaml", "replicas: 1\ntag: '1.0'\ntier: base\nregion: eu\ncert: ''\n")
    repo.write("chart/values-prod.yaml", "replicas: 3\ntier: prod\n")
    repo.write("chart/templates/deploy.yaml", CHART_TEMPLATE)
    repo.write("chart/crds/widgets.yaml", CRD)
    repo.write("chart/ca.pem", "PEM-DATA")
    repo.commit("init")
    return repo


def render(repo: GitRepo, apps: list[dict[str, Any]]) -> RenderResult:
    repo.write("argo/apps.yaml", apps)
    return render_environment(Environment("argo", "argo", "plain"), repo.root, use_cache=False)


def objects(result: RenderResult, skip_apps: bool = True) -> dict[str, dict[str, Any]]:
    return {str(d.resource): d.data for d in result.documents
            if not (skip_apps and d.data.get("kind") == "Application")}


def test_destination_namespace_as_the_controller_normalizes(repo: GitRepo) -> None:
    got = objects(render(repo, [app("web", {"path": "web"})]))
    assert set(got) == {"Deployment web/web", "ClusterRole reader", "ConfigMap kept/pinned"}
    assert "namespace" not in got["ClusterRole reader"]["metadata"]


def _kubectl_kustomize(folder: Path) -> dict[str, dict[str, Any]]:
    out = subprocess.run(["kubectl", "kustomize", str(folder)], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    docs = [d for d in yaml.safe_load_all(out) if d]
    return {f"{d['kind']} {d['metadata'].get('namespace', '')}/{d['metadata']['name']}"
            .replace(" /", " "): d for d in docs}


def test_kustomize_overrides_match_the_edited_kustomization(repo: GitRepo,
                                                            tmp_path: Path) -> None:
    repo.write("base/kustomization.yaml", "resources: [deploy.yaml]\n")
    repo.write("base/deploy.yaml", DEPLOY)
    repo.write("overlay/kustomization.yaml", "resources: [../base]\nnamePrefix: old-\n"
                                             "images: [{name: nginx, newTag: '1.26'}]\n")
    repo.write("overlay/extra/cm.yaml", {"apiVersion": "v1", "kind": "ConfigMap",
                                         "metadata": {"name": "extra"}})
    repo.write("component/kustomization.yaml",
               "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
               "resources: [cm.yaml]\n")
    repo.write("component/cm.yaml", {"apiVersion": "v1", "kind": "ConfigMap",
                                     "metadata": {"name": "from-component"}})
    repo.commit("overlay")
    kustomize = {
        "namePrefix": "new-", "nameSuffix": "-v1", "namespace": "shop",
        "images": ["nginx=registry.example.com/nginx:${ARGOCD_APP_NAME}"],
        "replicas": [{"name": "web", "count": 4}],
        "commonLabels": {"team": "a"}, "commonAnnotations": {"owner": "ops"},
        "patches": [{"target": {"kind": "Deployment"},
                     "patch": "- op: add\n  path: /spec/paused\n  value: true\n"}],
        "components": ["../component"],
    }
    result = render(repo, [app("shop", {"path": "overlay", "kustomize": kustomize},
                               namespace="elsewhere")])
    assert not [f for f in result.findings if f.severity.name == "ERROR"], result.findings
    # The oracle: the kustomization as `kustomize edit` leaves it, built by kubectl.
    oracle = tmp_path / "oracle"
    shutil.copytree(repo.root, oracle, ignore=shutil.ignore_patterns(".git"))
    (oracle / "overlay/kustomization.yaml").write_text(yaml.safe_dump({
        "resources": ["../base"], "namePrefix": "new-", "nameSuffix": "-v1",
        "images": [{"name": "nginx", "newTag": "shop", "newName": "registry.example.com/nginx"}],
        "replicas": [{"name": "web", "count": 4}],
        "commonLabels": {"team": "a"}, "commonAnnotations": {"owner": "ops"},
        "namespace": "shop", "patches": kustomize["patches"], "components": ["../component"]}))
    assert objects(result) == _kubectl_kustomize(oracle / "overlay")


def test_kustomize_label_already_set_fails_like_kustomize_edit(repo: GitRepo) -> None:
    repo.write("base/kustomization.yaml", "resources: [deploy.yaml]\n")
    repo.write("base/deploy.yaml", DEPLOY)
    repo.write("overlay/kustomization.yaml", "resources: [../base]\ncommonLabels: {team: b}\n")
    repo.commit("overlay")
    result = render(repo, [app("shop", {"path": "overlay",
                                        "kustomize": {"commonLabels": {"team": "a"}}})])
    assert [f.rule_id for f in result.findings] == ["GG101"]
    assert "forceCommonLabels" in result.findings[0].message
    forced = render(repo, [app("shop", {"path": "overlay", "kustomize": {
        "commonLabels": {"team": "a"}, "forceCommonLabels": True}})])
    assert objects(forced)["Deployment shop/web"]["metadata"]["labels"] == {"team": "a"}


@requires("helm")
def test_helm_values_in_argo_precedence(repo: GitRepo) -> None:
    helm = {"releaseName": "shop", "valueFiles": ["values-prod.yaml"],
            "values": "tag: from-values\nregion: us\n",
            "valuesObject": {"tag": "from-object"},
            "parameters": [{"name": "replicas", "value": "5"},
                           {"name": "tier", "value": "007", "forceString": True}],
            "fileParameters": [{"name": "cert", "path": "ca.pem"}], "skipCrds": True}
    got = objects(render(repo, [app("web", {"path": "chart", "helm": helm})]))
    assert set(got) == {"Deployment web/shop"}  # skipCrds: no CRD; namespace from destination
    deploy = got["Deployment web/shop"]
    # valuesObject replaces `values` entirely (region stays the chart's), parameters win
    assert deploy["metadata"]["labels"] == {"tier": "007", "region": "eu"}
    assert deploy["spec"]["replicas"] == 5
    container = deploy["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "nginx:from-object"
    assert container["env"] == [{"name": "CERT", "value": "PEM-DATA"}]
    with_crds = objects(render(repo, [app("web", {"path": "chart"})]))
    assert "CustomResourceDefinition widgets.example.com" in with_crds


@requires("helm")
def test_multiple_sources_with_ref_values(repo: GitRepo) -> None:
    repo.write("config/web.yaml", "tag: '2.0'\n")
    repo.commit("values")
    sources: list[dict[str, Any]] = [{"repoURL": URL, "path": "chart", "targetRevision": "HEAD",
                "helm": {"valueFiles": ["$cfg/config/web.yaml", "$gone/x.yaml"]}},
               {"repoURL": "git@github.com:example/fleet.git", "targetRevision": "HEAD",
                "ref": "cfg"},
               {"repoURL": URL, "path": "web", "targetRevision": "HEAD",
                "directory": {"include": "deploy.yaml"}}]
    result = render(repo, [app("multi", sources=sources)])
    got = objects(result)
    assert set(got) == {"Deployment multi/multi", "CustomResourceDefinition widgets.example.com",
                        "Deployment multi/web"}
    image = got["Deployment multi/multi"]["spec"]["template"]["spec"]["containers"][0]["image"]
    assert image == "nginx:2.0"
    assert result.skipped == ["Application multi: value file $gone/x.yaml: no source has ref "
                              "gone"]


def test_directory_globs_jsonnet_and_plugins(repo: GitRepo) -> None:
    repo.write("dir/a.yaml", {**CONFIG, "metadata": {"name": "a"}})
    repo.write("dir/skip.yaml", "# +argocd:skip-file-rendering\n" + yaml.safe_dump(
        {**CONFIG, "metadata": {"name": "skipped"}}))
    repo.write("dir/sub/b.yml", {**CONFIG, "metadata": {"name": "b"}})
    repo.write("dir/sub/deep/c.json", '{"apiVersion": "v1", "kind": "ConfigMap", '
                                      '"metadata": {"name": "c"}}')
    repo.write("dir/sub/list.yaml", {"apiVersion": "v1", "kind": "List", "items": [
        {**CONFIG, "metadata": {"name": "in-list"}}]})
    repo.write("dir/notes.txt", "not a manifest")
    repo.write("jsonnet/app.jsonnet", "{}")
    repo.commit("dirs")
    flat = objects(render(repo, [app("d", {"path": "dir"})]))
    assert set(flat) == {"ConfigMap d/a"}
    deep = objects(render(repo, [app("d", {"path": "dir", "directory": {
        "recurse": True, "exclude": "{sub/deep/*,nothing}", "include": "*.{yaml,yml,json}"}})]))
    assert set(deep) == {"ConfigMap d/a", "ConfigMap d/b", "ConfigMap d/in-list"}
    result = render(repo, [app("j", {"path": "jsonnet"}),
                           app("p", {"path": "web", "plugin": {"name": "kasane"}}),
                           app("x", {"path": "web", "helm": {}, "directory": {}})])
    assert result.skipped == [
        "Application j: source jsonnet: jsonnet (jsonnet/app.jsonnet) is evaluated by the "
        "repo-server's jsonnet VM, which is not reproduced offline",
        "Application p: source web: config management plugin kasane runs in a repo-server "
        "sidecar, which is not available offline"]
    assert [f.rule_id for f in result.findings if f.rule_id != "GG104"] == ["GG101"]


def test_app_of_apps_recursion_and_remote_sources(repo: GitRepo) -> None:
    repo.write("children/web.yaml", app("web", {"path": "web"}))
    repo.write("children/self.yaml", app("root", {"path": "children"}))  # a cycle
    repo.commit("children")
    result = render(repo, [app("root", {"path": "children"}, namespace="argocd"),
                           app("far", {"repoURL": "https://github.com/other/repo",
                                       "path": "x"}),
                           app("gone", {"path": "web", "targetRevision": "no-such-branch"})])
    got = objects(result, skip_apps=False)
    assert {"Application argocd/web", "Deployment web/web"} <= set(got)
    assert result.skipped == [
        "Application far: source https://github.com/other/repo is another repository",
        "Application gone: targetRevision no-such-branch is not in this clone (fetch it, "
        "e.g. `git fetch origin no-such-branch`)"]


def test_target_revision_reads_another_branch_from_git_objects(repo: GitRepo) -> None:
    repo.git("checkout", "-q", "-b", "release")
    repo.write("web/deploy.yaml", {**DEPLOY, "spec": {**DEPLOY["spec"], "replicas": 9}})
    repo.commit("release")
    repo.git("checkout", "-q", "main")
    got = objects(render(repo, [app("web", {"path": "web", "targetRevision": "release"})]))
    assert got["Deployment web/web"]["spec"]["replicas"] == 9


def test_app_of_apps_chart_is_affected_by_what_its_applications_read(repo: GitRepo) -> None:
    """A chart templating Applications (argocd-example-apps' `apps`): their paths are
    known only once rendered, so every file is an input of the environment."""
    repo.write("apps/Chart.yaml", "apiVersion: v2\nname: apps\nversion: 1.0.0\n")
    repo.write("apps/templates/web.yaml", "apiVersion: argoproj.io/v1alpha1\n"
               "kind: Application\nmetadata: {name: web}\nspec:\n  source:\n"
               "    repoURL: " + URL + "\n    path: {{ .Values.path }}\n")
    repo.write("apps/values.yaml", "path: web\n")
    envs = {"apps": Environment("apps", "apps", "helm"), "chart": Environment("chart", "chart",
                                                                              "helm")}
    assert affected_environments(["web/deploy.yaml"], envs, repo.root) == ["apps"]


@requires("kustomize")
def test_a_kustomization_inflating_helm_charts_is_not_rendered_rather_than_failed(
        repo: GitRepo) -> None:
    """gitops-examples' kustomize-and-helm: `helmCharts` needs --enable-helm and a chart
    download; Argo CD builds it with its build options, so it is a note, not a failure."""
    repo.write("knh/base/kustomization.yaml", "helmCharts:\n  - name: quarkus\n"
               "    version: 0.0.3\n    repo: https://charts.example.org\n"
               "    releaseName: quarkus-app\n")
    repo.write("knh/overlay/kustomization.yaml", "resources: [../base]\nnamespace: demo\n")
    repo.commit("knh")
    result = render(repo, [app("knh", {"path": "knh/overlay"})])
    assert [(f.rule_id, f.severity.name) for f in result.findings] == [("GG104", "INFO")]
    assert result.findings[0].message.startswith(
        "not rendered: the kustomization inflates Helm charts (`helmCharts`)")


@requires("kustomize")
def test_a_failed_kustomize_build_says_why_on_one_line(repo: GitRepo) -> None:
    repo.write("broken/kustomization.yaml", "resources: [missing.yaml]\n")
    repo.commit("broken")
    (finding,) = render(repo, [app("b", {"path": "broken"})]).findings
    assert finding.rule_id == "GG101" and "missing.yaml" in finding.message
    # not kubectl's log framing (`E1203 ... "command failed" err=<` ... ` >`)
    assert "command failed" not in finding.message
    assert not finding.message.rstrip().endswith(">")
