"""The input graph: which files an environment reads, from its kustomization files and its
GitOps objects, without rendering (it decides which environments a change affects)."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.render import CONTROLLERS
from gitops_guard.render.graph import (
    Graph,
    environment_graph,
    is_remote,
    outside_references,
    refused_references,
)

FLUX_KS = """\
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec: {path: ./apps/prod, sourceRef: {kind: GitRepository, name: flux-system}}
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


@pytest.mark.parametrize(("ref", "remote"), [
    ("https://github.com/org/repo//deploy?ref=v1", True),
    ("git@github.com:org/repo.git", True),
    ("github.com/org/repo/deploy", True),
    ("oci://registry/chart", True),
    ("../base", False),
    ("deployment.yaml", False),
])
def test_is_remote(ref: str, remote: bool) -> None:
    assert is_remote(ref) is remote


def test_a_kustomize_overlay_reads_its_bases_patches_and_generator_files(tmp_path: Path) -> None:
    write(tmp_path, {
        "base/kustomization.yaml": "resources: [app.yaml]\n",
        "base/app.yaml": "kind: ConfigMap\n",
        "prod/kustomization.yaml": (
            "resources: [../base, https://example.com/x.yaml]\n"
            "patches: [{path: patch.yaml}]\n"
            "configMapGenerator: [{name: c, files: [key=conf/app.ini], envs: [vars.env]}]\n"),
        "prod/patch.yaml": "kind: ConfigMap\n",
        "prod/conf/app.ini": "a=1\n",
        "prod/vars.env": "B=2\n",
        "unrelated/kustomization.yaml": "resources: []\n"})
    graph = environment_graph("prod", "kustomize", (), tmp_path, CONTROLLERS)
    assert graph.files == {"prod/kustomization.yaml", "base/kustomization.yaml",
                           "base/app.yaml", "prod/patch.yaml", "prod/conf/app.ini",
                           "prod/vars.env"}
    assert graph.remote == {"https://example.com/x.yaml"}
    assert graph.covers("base/app.yaml") and not graph.covers("unrelated/kustomization.yaml")


def test_a_flux_kustomization_is_followed_to_its_path(tmp_path: Path) -> None:
    write(tmp_path, {"clusters/prod/apps.yaml": FLUX_KS,
                     "apps/prod/kustomization.yaml": "resources: [web.yaml]\n",
                     "apps/prod/web.yaml": "kind: Service\n",
                     "apps/dev/web.yaml": "kind: Service\n"})
    graph = environment_graph("clusters/prod", "", (), tmp_path, CONTROLLERS)
    assert graph.covers("clusters/prod/apps.yaml")  # a plain dir is read whole
    assert graph.covers("apps/prod/web.yaml")
    assert not graph.covers("apps/dev/web.yaml")
    # without controllers, GitOps objects are not followed
    assert not environment_graph("clusters/prod", "", (), tmp_path, {}).covers(
        "apps/prod/web.yaml")


@pytest.mark.parametrize(("template", "whole_repo"), [
    ("kind: ConfigMap\n", False),
    ("apiVersion: argoproj.io/v1alpha1\nkind: Application\n", True),  # app of apps
])
def test_a_chart_is_its_whole_directory_or_the_repo_when_it_writes_gitops_objects(
        tmp_path: Path, template: str, whole_repo: bool) -> None:
    write(tmp_path, {"chart/Chart.yaml": "name: c\nversion: 1.0.0\n",
                     "chart/templates/t.yaml": template, "values/prod.yaml": "a: 1\n",
                     "elsewhere/x.yaml": "kind: Service\n"})
    graph = environment_graph("chart", "helm", ("values/prod.yaml",), tmp_path, CONTROLLERS)
    assert graph.covers("chart/templates/t.yaml") and graph.covers("values/prod.yaml")
    assert graph.covers("elsewhere/x.yaml") is whole_repo


def test_references_leaving_the_repository_are_listed_with_their_kustomization(
        tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write(tmp_path, {"other/kustomization.yaml": "resources: []\n",
                     "repo/app/kustomization.yaml":
                         "resources: [../../other, https://example.com/r.yaml, local.yaml]\n",
                     "repo/app/local.yaml": "kind: ConfigMap\n"})
    assert outside_references("app", repo) == [("app/kustomization.yaml", "../../other")]
    assert refused_references("app", repo, load_restrictor_none=False) == [
        ("app/kustomization.yaml", "../../other"),
        ("app/kustomization.yaml", "https://example.com/r.yaml")]
    # load_restrictor: none allows leaving the repository; remote URLs stay refused
    assert refused_references("app", repo, load_restrictor_none=True) == [
        ("app/kustomization.yaml", "https://example.com/r.yaml")]


@pytest.mark.parametrize(("files", "trees", "path", "covered"), [
    (set(), {"."}, "any/file.yaml", True),
    (set(), {"apps"}, "apps/web/x.yaml", True),
    (set(), {"apps"}, "apps-old/x.yaml", False),
    ({"a/k.yaml"}, set(), "a/./k.yaml", True),
    ({"a/k.yaml"}, set(), "a/other.yaml", False),
])
def test_covers(files: set[str], trees: set[str], path: str, covered: bool) -> None:
    assert Graph(files=files, trees=trees).covers(path) is covered


def test_unreadable_yaml_is_no_input_rather_than_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"prod/kustomization.yaml": "resources: [\n"})
    assert environment_graph("prod", "", (), tmp_path, CONTROLLERS).files == {
        "prod/kustomization.yaml"}
