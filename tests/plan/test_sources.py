"""Where the plan's objects come from: the environments (or the whole repository as
`repo`), what a render leaves unknown, and the notes of both sides merged."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.config import Config, load_config
from gitops_guard.model import Finding, Location, Severity
from gitops_guard.plan.sources import (
    REPO_ENV,
    RenderNotes,
    environments,
    failed_dir,
    merge_notes,
    render_objects,
    unknown_paths,
    without_failed,
)
from gitops_guard.render.model import Environment
from tests.conftest import requires


def finding(rule: str, path: str) -> Finding:
    return Finding(rule, Severity.ERROR, "m", Location(path, 1, 1))


@pytest.mark.parametrize(("rule", "path", "folder"), [
    ("GG102", "charts/web/templates/deploy.yaml", "charts/web"),
    ("GG102", "charts/web/charts/sub/values.yaml", "charts/web"),
    ("GG103", "charts/web/Chart.yaml", "charts/web"),
    ("GG102", "charts/web/values.yaml", None),
    ("GG101", "apps/prod/kustomization.yaml", "apps/prod"),
    ("GG107", "apps/prod/Kustomization", "apps/prod"),
    ("GG101", "apps/prod/deploy.yaml", None),
    ("GG104", "apps/prod/kustomization.yaml", None),  # skipped, not failed
])
def test_failed_dir_is_the_dir_a_failed_render_leaves_unknown(
        rule: str, path: str, folder: str | None) -> None:
    assert failed_dir(finding(rule, path)) == folder


def test_objects_from_a_failed_dir_are_left_out_on_both_sides() -> None:
    objects = [({"kind": "A"}, "apps/prod/a.yaml"), ({"kind": "B"}, "apps/prod-eu/b.yaml"),
               ({"kind": "C"}, "charts/web/templates/c.yaml")]
    assert without_failed(objects, unknown_paths(["apps/prod", "charts/web"])) == [objects[1]]
    assert unknown_paths([]) is None and unknown_paths([""]) is None
    assert without_failed(objects, None) == objects


def test_notes_of_both_sides_merge_head_first_each_once() -> None:
    base = RenderNotes(["same", "gone"], ["old skip"], ("a",))
    head = RenderNotes(["new", "same", "new"], ["old skip"], ("b", "a"))
    assert merge_notes(base, head) == RenderNotes(
        ["new", "same", "base: gone"], ["old skip"], ("a", "b"))


def test_without_environments_the_repository_is_one(tmp_path: Path) -> None:
    assert environments(Config(root=tmp_path)) == {
        REPO_ENV: Environment(REPO_ENV, ".", kind="plain")}
    (tmp_path / "clusters/prod").mkdir(parents=True)
    (tmp_path / "plan.json").write_text("{}")
    (tmp_path / ".gitops-guard.yaml").write_text(
        "environments:\n  prod: {path: clusters/prod}\n  tf: {path: plan.json, kind: "
        "terraform-plan}\n")
    config = load_config(tmp_path / ".gitops-guard.yaml", tmp_path)
    envs = environments(config)
    assert list(envs) == ["prod", "tf"]
    assert (envs["prod"].path, envs["tf"].kind) == ("clusters/prod", "terraform-plan")


def test_the_repo_environment_loads_kubernetes_documents_only(tmp_path: Path) -> None:
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps/cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\n"
                                           "metadata: {name: a}\n---\nplain: data\n")
    (tmp_path / "apps/broken.yaml").write_text("a: [\n")
    env = Environment(REPO_ENV, ".", kind="plain")
    rendering = render_objects(env, tmp_path, Config(root=tmp_path))
    assert rendering.objects == [({"apiVersion": "v1", "kind": "ConfigMap",
                                   "metadata": {"name": "a"}}, "apps/cm.yaml")]
    assert [n.split(":")[0] for n in rendering.notes.notes] == ["apps/broken.yaml"]


def test_an_environment_missing_on_this_side_is_a_note(tmp_path: Path) -> None:
    for env in (Environment(REPO_ENV, "gone"), Environment("prod", "clusters/prod")):
        rendering = render_objects(env, tmp_path, Config(root=tmp_path))
        assert rendering.objects == []
        assert rendering.notes.notes == [f"{env.path} does not exist here"]


@requires("kustomize")
def test_a_failed_kustomize_build_is_unrendered_and_its_dir_failed(tmp_path: Path) -> None:
    (tmp_path / "prod").mkdir()
    (tmp_path / "prod/kustomization.yaml").write_text("resources: [missing.yaml]\n")
    rendering = render_objects(Environment("prod", "prod"), tmp_path, Config(root=tmp_path))
    assert rendering.objects == []
    assert rendering.notes.failed == ("prod",)
    [line] = rendering.notes.unrendered
    assert line.startswith("prod/kustomization.yaml:1") and line.endswith("(GG101)")
