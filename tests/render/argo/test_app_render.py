"""One Argo CD Application source rendered with its tool (render/argo/app_render.py),
compared object by object with what Argo CD applies (kubectl kustomize of the edited
kustomization, helm values precedence, directory globs, jsonnet and plugins)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import requires
from tests.plan.helpers import GitRepo
from tests.render.argo.app_helpers import CONFIG, DEPLOY, app, objects, render
from tests.render.argo.helpers import URL


def _kubectl_kustomize(folder: Path) -> dict[str, dict[str, Any]]:
    out = subprocess.run(["kubectl", "kustomize", str(folder)], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    docs = [d for d in yaml.safe_load_all(out) if d]
    return {f"{d['kind']} {d['metadata'].get('namespace', '')}/{d['metadata']['name']}"
            .replace(" /", " "): d for d in docs}


def test_kustomize_overrides_match_the_edited_kustomization(app_repo: GitRepo,
                                                            tmp_path: Path) -> None:
    app_repo.write("base/kustomization.yaml", "resources: [deploy.yaml]\n")
    app_repo.write("base/deploy.yaml", DEPLOY)
    app_repo.write("overlay/kustomization.yaml", "resources: [../base]\nnamePrefix: old-\n"
                                                 "images: [{name: nginx, newTag: '1.26'}]\n")
    app_repo.write("overlay/extra/cm.yaml", {"apiVersion": "v1", "kind": "ConfigMap",
                                             "metadata": {"name": "extra"}})
    app_repo.write("component/kustomization.yaml",
                   "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
                   "resources: [cm.yaml]\n")
    app_repo.write("component/cm.yaml", {"apiVersion": "v1", "kind": "ConfigMap",
                                         "metadata": {"name": "from-component"}})
    app_repo.commit("overlay")
    kustomize = {
        "namePrefix": "new-", "nameSuffix": "-v1", "namespace": "shop",
        "images": ["nginx=registry.example.com/nginx:${ARGOCD_APP_NAME}"],
        "replicas": [{"name": "web", "count": 4}],
        "commonLabels": {"team": "a"}, "commonAnnotations": {"owner": "ops"},
        "patches": [{"target": {"kind": "Deployment"},
                     "patch": "- op: add\n  path: /spec/paused\n  value: true\n"}],
        "components": ["../component"],
    }
    result = render(app_repo, [app("shop", {"path": "overlay", "kustomize": kustomize},
                                   namespace="elsewhere")])
    assert not [f for f in result.findings if f.severity.name == "ERROR"], result.findings
    # The oracle: the kustomization as `kustomize edit` leaves it, built by kubectl.
    oracle = tmp_path / "oracle"
    shutil.copytree(app_repo.root, oracle, ignore=shutil.ignore_patterns(".git"))
    (oracle / "overlay/kustomization.yaml").write_text(yaml.safe_dump({
        "resources": ["../base"], "namePrefix": "new-", "nameSuffix": "-v1",
        "images": [{"name": "nginx", "newTag": "shop", "newName": "registry.example.com/nginx"}],
        "replicas": [{"name": "web", "count": 4}],
        "commonLabels": {"team": "a"}, "commonAnnotations": {"owner": "ops"},
        "namespace": "shop", "patches": kustomize["patches"], "components": ["../component"]}))
    assert objects(result) == _kubectl_kustomize(oracle / "overlay")


def test_kustomize_label_already_set_fails_like_kustomize_edit(app_repo: GitRepo) -> None:
    app_repo.write("base/kustomization.yaml", "resources: [deploy.yaml]\n")
    app_repo.write("base/deploy.yaml", DEPLOY)
    app_repo.write("overlay/kustomization.yaml", "resources: [../base]\ncommonLabels: {team: b}\n")
    app_repo.commit("overlay")
    result = render(app_repo, [app("shop", {"path": "overlay",
                                            "kustomize": {"commonLabels": {"team": "a"}}})])
    assert [f.rule_id for f in result.findings] == ["GG101"]
    assert "forceCommonLabels" in result.findings[0].message
    forced = render(app_repo, [app("shop", {"path": "overlay", "kustomize": {
        "commonLabels": {"team": "a"}, "forceCommonLabels": True}})])
    assert objects(forced)["Deployment shop/web"]["metadata"]["labels"] == {"team": "a"}


@requires("helm")
def test_helm_values_in_argo_precedence(app_repo: GitRepo) -> None:
    helm = {"releaseName": "shop", "valueFiles": ["values-prod.yaml"],
            "values": "tag: from-values\nregion: us\n",
            "valuesObject": {"tag": "from-object"},
            "parameters": [{"name": "replicas", "value": "5"},
                           {"name": "tier", "value": "007", "forceString": True}],
            "fileParameters": [{"name": "cert", "path": "ca.pem"}], "skipCrds": True}
    got = objects(render(app_repo, [app("web", {"path": "chart", "helm": helm})]))
    assert set(got) == {"Deployment web/shop"}  # skipCrds: no CRD; namespace from destination
    deploy = got["Deployment web/shop"]
    # valuesObject replaces `values` entirely (region stays the chart's), parameters win
    assert deploy["metadata"]["labels"] == {"tier": "007", "region": "eu"}
    assert deploy["spec"]["replicas"] == 5
    container = deploy["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "nginx:from-object"
    assert container["env"] == [{"name": "CERT", "value": "PEM-DATA"}]
    with_crds = objects(render(app_repo, [app("web", {"path": "chart"})]))
    assert "CustomResourceDefinition widgets.example.com" in with_crds


@requires("helm")
def test_multiple_sources_with_ref_values(app_repo: GitRepo) -> None:
    app_repo.write("config/web.yaml", "tag: '2.0'\n")
    app_repo.commit("values")
    sources: list[dict[str, Any]] = [{"repoURL": URL, "path": "chart", "targetRevision": "HEAD",
                "helm": {"valueFiles": ["$cfg/config/web.yaml", "$gone/x.yaml"]}},
               {"repoURL": "git@github.com:example/fleet.git", "targetRevision": "HEAD",
                "ref": "cfg"},
               {"repoURL": URL, "path": "web", "targetRevision": "HEAD",
                "directory": {"include": "deploy.yaml"}}]
    result = render(app_repo, [app("multi", sources=sources)])
    got = objects(result)
    assert set(got) == {"Deployment multi/multi", "CustomResourceDefinition widgets.example.com",
                        "Deployment multi/web"}
    image = got["Deployment multi/multi"]["spec"]["template"]["spec"]["containers"][0]["image"]
    assert image == "nginx:2.0"
    assert result.skipped == ["Application multi: value file $gone/x.yaml: no source has ref "
                              "gone"]


def test_directory_globs_jsonnet_and_plugins(app_repo: GitRepo) -> None:
    app_repo.write("dir/a.yaml", {**CONFIG, "metadata": {"name": "a"}})
    app_repo.write("dir/skip.yaml", "# +argocd:skip-file-rendering\n" + yaml.safe_dump(
        {**CONFIG, "metadata": {"name": "skipped"}}))
    app_repo.write("dir/sub/b.yml", {**CONFIG, "metadata": {"name": "b"}})
    app_repo.write("dir/sub/deep/c.json", '{"apiVersion": "v1", "kind": "ConfigMap", '
                                          '"metadata": {"name": "c"}}')
    app_repo.write("dir/sub/list.yaml", {"apiVersion": "v1", "kind": "List", "items": [
        {**CONFIG, "metadata": {"name": "in-list"}}]})
    app_repo.write("dir/notes.txt", "not a manifest")
    app_repo.write("jsonnet/app.jsonnet", "{}")
    app_repo.commit("dirs")
    flat = objects(render(app_repo, [app("d", {"path": "dir"})]))
    assert set(flat) == {"ConfigMap d/a"}
    deep = objects(render(app_repo, [app("d", {"path": "dir", "directory": {
        "recurse": True, "exclude": "{sub/deep/*,nothing}", "include": "*.{yaml,yml,json}"}})]))
    assert set(deep) == {"ConfigMap d/a", "ConfigMap d/b", "ConfigMap d/in-list"}
    result = render(app_repo, [app("j", {"path": "jsonnet"}),
                               app("p", {"path": "web", "plugin": {"name": "kasane"}}),
                               app("x", {"path": "web", "helm": {}, "directory": {}})])
    assert result.skipped == [
        "Application j: source jsonnet: jsonnet (jsonnet/app.jsonnet) is evaluated by the "
        "repo-server's jsonnet VM, which is not reproduced offline",
        "Application p: source web: config management plugin kasane runs in a repo-server "
        "sidecar, which is not available offline"]
    assert [f.rule_id for f in result.findings if f.rule_id != "GG104"] == ["GG101"]


@requires("kustomize")
def test_a_kustomization_inflating_helm_charts_is_not_rendered_rather_than_failed(
        app_repo: GitRepo) -> None:
    """gitops-examples' kustomize-and-helm: `helmCharts` needs --enable-helm and a chart
    download; Argo CD builds it with its build options, so it is a note, not a failure."""
    app_repo.write("knh/base/kustomization.yaml", "helmCharts:\n  - name: quarkus\n"
                   "    version: 0.0.3\n    repo: https://charts.example.org\n"
                   "    releaseName: quarkus-app\n")
    app_repo.write("knh/overlay/kustomization.yaml", "resources: [../base]\nnamespace: demo\n")
    app_repo.commit("knh")
    result = render(app_repo, [app("knh", {"path": "knh/overlay"})])
    assert [(f.rule_id, f.severity.name) for f in result.findings] == [("GG104", "INFO")]
    assert result.findings[0].message.startswith(
        "not rendered: the kustomization inflates Helm charts (`helmCharts`)")


@requires("kustomize")
def test_a_failed_kustomize_build_says_why_on_one_line(app_repo: GitRepo) -> None:
    app_repo.write("broken/kustomization.yaml", "resources: [missing.yaml]\n")
    app_repo.commit("broken")
    (finding,) = render(app_repo, [app("b", {"path": "broken"})]).findings
    assert finding.rule_id == "GG101" and "missing.yaml" in finding.message
    # not kubectl's log framing (`E1203 ... "command failed" err=<` ... ` >`)
    assert "command failed" not in finding.message
    assert not finding.message.rstrip().endswith(">")
