"""ApplicationSet generators as the controller expands them (render/argo/generators.py,
selector.py): git directories and files, list, matrix, merge, cluster, and selectors."""
from __future__ import annotations

from tests.plan.helpers import GitRepo
from tests.render.argo.helpers import URL, apps, appset, render, template


def test_git_directories_go_template(fleet: GitRepo) -> None:
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
    result = render(fleet, [appset([gen], tmpl, go=True)])
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


def test_git_files_fasttemplate_and_values(fleet: GitRepo) -> None:
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
    got = apps(render(fleet, [appset([gen], tmpl)]))
    assert set(got) == {"eu-1", "us-1", "us-2"}
    assert got["eu-1"]["metadata"]["labels"] == {
        "dir": "eu", "file": "config.yaml", "seg": "eu", "env": "eu-prod", "missing": "{{nope}}"}


def test_list_matrix_merge_and_selector(fleet: GitRepo) -> None:
    listed = {"list": {"elements": [{"env": "dev", "values": {"size": "s"}},
                                    {"env": "prod", "values": {"size": "l"}}]}}
    dirs = {"git": {"repoURL": URL, "revision": "HEAD",
                    "directories": [{"path": "apps/shop"}, {"path": "apps/legacy"}]}}
    matrix = {"matrix": {"generators": [dirs, listed]},
              "selector": {"matchExpressions": [{"key": "env", "operator": "In",
                                                 "values": ["prod"]}]}}
    tmpl = template("{{path.basename}}-{{env}}-{{values.size}}", "{{path}}", "{{env}}")
    got = apps(render(fleet, [appset([matrix], tmpl)]))
    assert set(got) == {"shop-prod-l", "legacy-prod-l"}
    merge = {"merge": {"mergeKeys": ["env"], "generators": [
        listed, {"list": {"elements": [{"env": "prod", "values": {"size": "xl"}},
                                       {"env": "qa", "values": {"size": "m"}}]}}]}}
    got = apps(render(fleet, [appset([merge], template("m-{{env}}-{{values.size}}", "apps/shop",
                                                      "{{env}}"))]))
    assert set(got) == {"m-dev-s", "m-prod-xl"}


def test_cluster_generator_from_config(fleet: GitRepo) -> None:
    clusters = ({"name": "Prod EU", "server": "https://eu.example.com",
                 "labels": {"env": "prod"}},
                {"name": "dev", "server": "https://dev.example.com", "labels": {"env": "dev"}})
    tmpl = template("{{nameNormalized}}-shop", "apps/shop", "shop")
    everything = apps(render(fleet, [appset([{"clusters": {}}], tmpl)], clusters))
    assert set(everything) == {"prod-eu-shop", "dev-shop", "in-cluster-shop"}
    assert everything["prod-eu-shop"]["spec"]["destination"]["server"] == \
        "https://eu.example.com"
    chosen = apps(render(fleet, [appset([{"clusters": {"selector": {
        "matchLabels": {"env": "prod"}}}}], tmpl)], clusters))
    assert set(chosen) == {"prod-eu-shop"}  # a selector leaves the local cluster out
    go = {"metadata": {"name": "{{ .name | lower | replace \" \" \"-\" }}-"
                               "{{ .metadata.labels.env }}"},
          "spec": {**tmpl["spec"], "destination": {"server": "{{ .server }}",
                                                    "namespace": "shop"}}}
    assert set(apps(render(fleet, [appset([{"clusters": {"selector": {"matchLabels": {
        "env": "dev"}}}}], go, go=True)], clusters))) == {"dev-dev"}
