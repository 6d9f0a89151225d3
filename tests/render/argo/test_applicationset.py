"""ApplicationSets expanded as the ApplicationSet controller does: the generated
Applications compared object by object, then what each of them renders."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gitops_guard.render import render_environment
from gitops_guard.render.model import Environment, RenderResult
from tests.plan.helpers import GitRepo

URL = "https://github.com/example/fleet.git"


def cm(name: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}}


def appset(generators: list[dict[str, Any]], template: dict[str, Any], go: bool = False,
           **extra: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"generators": generators, "template": template, **extra}
    if go:
        spec["goTemplate"] = True
        spec["goTemplateOptions"] = ["missingkey=error"]
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationSet",
            "metadata": {"name": "set", "namespace": "argocd"}, "spec": spec}


def template(name: str, path: str, namespace: str) -> dict[str, Any]:
    return {"metadata": {"name": name},
            "spec": {"project": "default",
                     "source": {"repoURL": URL, "targetRevision": "HEAD", "path": path},
                     "destination": {"server": "{{server}}" if "{{" not in namespace else
                                     "https://kubernetes.default.svc", "namespace": namespace}}}


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "fleet")
    repo.git("remote", "add", "origin", "https://github.com/example/fleet")
    for name in ("Guest_Book", "shop", "legacy"):
        repo.write(f"apps/{name}/cm.yaml", cm(name.lower().replace("_", "-")))
    repo.write("apps/.hidden/cm.yaml", cm("hidden"))
    repo.write("apps/shop/nested/cm.yaml", cm("nested"))
    repo.write("clusters/eu/config.yaml", {"cluster": {"name": "eu-1", "region": "eu"},
                                           "replicas": 2})
    repo.write("clusters/us/config.yaml", "- cluster: {name: us-1, region: us}\n"
                                          "- cluster: {name: us-2, region: us}\n"
                                          "---\n- cluster: {name: ignored}\n")
    repo.commit("init")
    return repo


def render(repo: GitRepo, docs: list[dict[str, Any]],
           clusters: tuple[dict[str, Any], ...] = ()) -> RenderResult:
    repo.write("argo/set.yaml", docs)
    env = Environment("argo", "argo", "plain", argocd_clusters=clusters)
    return render_environment(env, repo.root, use_cache=False)


def apps(result: RenderResult) -> dict[str, dict[str, Any]]:
    return {d.data["metadata"]["name"]: d.data for d in result.documents
            if d.data.get("kind") == "Application"}


def test_git_directories_go_template(repo: GitRepo) -> None:
    gen = {"git": {"repoURL": URL, "revision": "HEAD", "directories": [
        {"path": "apps/*"}, {"path": "apps/legacy", "exclude": True}]}}
    tmpl = {"metadata": {"name": "{{ .path.basename | lower | replace \"_\" \"-\" }}",
                         "labels": {"seg": "{{ index .path.segments 0 }}",
                                    "norm": "{{ .path.basenameNormalized }}"}},
            "spec": {"project": "default",
                     "source": {"repoURL": URL, "targetRevision": "HEAD",
                                "path": "{{ .path.path }}"},
                     "destination": {"server": "https://kubernetes.default.svc",
                                     "namespace": "{{ .path.basename | normalize }}"}}}
    result = render(repo, [appset([gen], tmpl, go=True)])
    got = apps(result)
    assert set(got) == {"guest-book", "shop"}  # hidden dirs and the excluded one are not listed
    assert got["guest-book"] == {
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
        "metadata": {"name": "guest-book", "namespace": "argocd",
                     "labels": {"seg": "apps", "norm": "guest-book"},
                     "finalizers": ["resources-finalizer.argocd.argoproj.io"]},
        "spec": {"project": "default",
                 "source": {"repoURL": URL, "targetRevision": "HEAD", "path": "apps/Guest_Book"},
                 "destination": {"server": "https://kubernetes.default.svc",
                                 "namespace": "guest-book"}}}
    rendered = {str(d.resource) for d in result.documents if d.data.get("kind") == "ConfigMap"}
    assert rendered == {"ConfigMap guest-book/guest-book", "ConfigMap shop/shop"}


def test_git_files_fasttemplate_and_values(repo: GitRepo) -> None:
    gen = {"git": {"repoURL": URL, "revision": "HEAD",
                   "files": [{"path": "clusters/**/config.yaml"}],
                   "values": {"env": "{{cluster.region}}-prod"}}}
    tmpl = {"metadata": {"name": "{{cluster.name}}",
                         "labels": {"dir": "{{path.basename}}", "file": "{{path.filename}}",
                                    "seg": "{{path[1]}}", "env": "{{values.env}}",
                                    "missing": "{{nope}}"}},
            "spec": {"project": "default",
                     "source": {"repoURL": URL, "targetRevision": "HEAD", "path": "apps/shop"},
                     "destination": {"server": "https://kubernetes.default.svc",
                                     "namespace": "{{cluster.name}}"}}}
    got = apps(render(repo, [appset([gen], tmpl)]))
    assert set(got) == {"eu-1", "us-1", "us-2"}
    assert got["eu-1"]["metadata"]["labels"] == {
        "dir": "eu", "file": "config.yaml", "seg": "eu", "env": "eu-prod", "missing": "{{nope}}"}


def test_list_matrix_merge_and_selector(repo: GitRepo) -> None:
    listed = {"list": {"elements": [{"env": "dev", "values": {"size": "s"}},
                                    {"env": "prod", "values": {"size": "l"}}]}}
    dirs = {"git": {"repoURL": URL, "revision": "HEAD",
                    "directories": [{"path": "apps/shop"}, {"path": "apps/legacy"}]}}
    matrix = {"matrix": {"generators": [dirs, listed]},
              "selector": {"matchExpressions": [{"key": "env", "operator": "In",
                                                 "values": ["prod"]}]}}
    tmpl = template("{{path.basename}}-{{env}}-{{values.size}}", "{{path}}", "{{env}}")
    got = apps(render(repo, [appset([matrix], tmpl)]))
    assert set(got) == {"shop-prod-l", "legacy-prod-l"}
    merge = {"merge": {"mergeKeys": ["env"], "generators": [
        listed, {"list": {"elements": [{"env": "prod", "values": {"size": "xl"}},
                                       {"env": "qa", "values": {"size": "m"}}]}}]}}
    got = apps(render(repo, [appset([merge], template("m-{{env}}-{{values.size}}", "apps/shop",
                                                      "{{env}}"))]))
    assert set(got) == {"m-dev-s", "m-prod-xl"}


def test_cluster_generator_from_config(repo: GitRepo) -> None:
    clusters = ({"name": "Prod EU", "server": "https://eu.example.com",
                 "labels": {"env": "prod"}},
                {"name": "dev", "server": "https://dev.example.com", "labels": {"env": "dev"}})
    tmpl = template("{{nameNormalized}}-shop", "apps/shop", "shop")
    everything = apps(render(repo, [appset([{"clusters": {}}], tmpl)], clusters))
    assert set(everything) == {"prod-eu-shop", "dev-shop", "in-cluster-shop"}
    assert everything["prod-eu-shop"]["spec"]["destination"]["server"] == \
        "https://eu.example.com"
    chosen = apps(render(repo, [appset([{"clusters": {"selector": {
        "matchLabels": {"env": "prod"}}}}], tmpl)], clusters))
    assert set(chosen) == {"prod-eu-shop"}  # a selector leaves the local cluster out
    go = {"metadata": {"name": "{{ .name | lower | replace \" \" \"-\" }}-"
                               "{{ .metadata.labels.env }}"},
          "spec": {**tmpl["spec"], "destination": {"server": "{{ .server }}",
                                                    "namespace": "shop"}}}
    assert set(apps(render(repo, [appset([{"clusters": {"selector": {"matchLabels": {
        "env": "dev"}}}}], go, go=True)], clusters))) == {"dev-dev"}


def test_what_cannot_be_expanded_is_gg104(repo: GitRepo) -> None:
    result = render(repo, [
        appset([{"scmProvider": {"github": {"organization": "example"}}}],
               template("x", "apps/shop", "x")),
        {**appset([{"list": {"elements": [{"env": "a"}]}}],
                  template("{{ .nope }}", "apps/shop", "x"), go=True),
         "metadata": {"name": "strict", "namespace": "argocd"}},
        {**appset([{"git": {"repoURL": "https://github.com/other/repo",
                            "directories": [{"path": "*"}]}}],
                  template("y", "apps/shop", "y")),
         "metadata": {"name": "remote", "namespace": "argocd"}},
    ])
    assert result.skipped == [
        "ApplicationSet set: scmProvider generator lists repositories through an SCM "
        "provider's API: not available offline",
        "ApplicationSet strict: template: map has no entry for key 'nope'",
        "ApplicationSet remote: git generator reads https://github.com/other/repo, not this "
        "repository"]
    assert apps(result) == {}


def test_template_patch_and_elements_yaml(repo: GitRepo) -> None:
    gen = {"list": {"elements": [{"app": "shop", "auto": True}],
                    "elementsYaml": "- {app: legacy, auto: false}\n"}}
    tmpl = template("{{ .app }}", "apps/{{ .app }}", "{{ .app }}")
    tmpl["spec"]["destination"]["server"] = "https://kubernetes.default.svc"
    patch = ("{{ if .auto }}\nspec:\n  syncPolicy:\n    automated: {prune: true}\n{{ end }}\n"
             "metadata:\n  finalizers: []\n")
    got = apps(render(repo, [appset([gen], tmpl, go=True, templatePatch=patch,
                                    syncPolicy={"preserveResourcesOnDeletion": True})]))
    assert set(got) == {"shop", "legacy"}
    assert got["shop"]["spec"]["syncPolicy"] == {"automated": {"prune": True}}
    assert "syncPolicy" not in got["legacy"]["spec"]
    assert got["shop"]["metadata"]["finalizers"] == []  # preserveResourcesOnDeletion
