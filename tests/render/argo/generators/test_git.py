"""The git generator as the controller expands it (render/argo/generators/git.py):
directories and files, both template dialects, `values:`."""
from __future__ import annotations

from tests.plan.helpers import GitRepo
from tests.render.argo.helpers import URL, apps, appset, render


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
