"""The Resolver: the work list of a render. Controllers are handed the GitOps objects among
what was added; lookups search what was rendered so far; findings point at the object."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gitops_guard.render.resolve import (
    MAX_DEPTH,
    Resolver,
    group_kind,
    name_namespace,
    path_key,
)
from gitops_guard.render.sources import Rendered
from tests.conftest import requires

SYNC = {"apiVersion": "example.io/v1", "kind": "Sync", "metadata": {"name": "apps"},
        "spec": {"path": "apps"}}


class Sync:
    """A controller for the test's `Sync` kind: renders spec.path, once."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, int]] = []

    def render(self, resolver: Resolver, item: Rendered, depth: int) -> None:
        self.seen.append((item.data["metadata"]["name"], depth))
        path = item.data["spec"]["path"]
        if resolver.enter(path_key(path, {}, None), item, depth):
            resolver.add(resolver.render_path(path), depth + 1)

    def paths(self, doc: dict[str, Any]) -> Iterator[tuple[str, str]]:
        yield doc["spec"]["path"], ""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def resolver(root: Path, controller: Sync | None = None, **kw: Any) -> Resolver:
    return Resolver(root, "prod", {("example.io", "Sync"): controller or Sync()}, **kw)


def test_gitops_objects_are_followed_and_their_resources_added(tmp_path: Path) -> None:
    write(tmp_path, {"apps/cm.yaml": "apiVersion: v1\nkind: ConfigMap\n"
                                     "metadata: {name: settings, namespace: shop}\n",
                     "apps/loop.yaml": "apiVersion: example.io/v1\nkind: Sync\n"
                                       "metadata: {name: loop}\nspec: {path: apps}\n"})
    sync = Sync()
    r = resolver(tmp_path, sync)
    r.add([Rendered(SYNC, "clusters/prod/sync.yaml", 0)])
    assert sync.seen == [("apps", 0), ("loop", 1)]  # the loop re-enters nothing
    assert r.find("ConfigMap", "settings", "shop") is not None
    assert r.find("ConfigMap", "settings", "") is not None
    assert r.find("ConfigMap", "settings", "other") is None
    assert r.find("Secret", "settings", "shop") is None


def test_nesting_past_the_limit_is_a_warning_at_the_object(tmp_path: Path) -> None:
    r = resolver(tmp_path)
    item = Rendered(SYNC, "sync.yaml", None, 7)
    assert not r.enter("path deep", item, MAX_DEPTH)
    [finding] = r.findings
    assert (finding.rule_id, finding.severity.name, finding.location.path,
            finding.location.line) == ("GG106", "WARNING", "sync.yaml", 7)
    assert r.enter("path x", item, 0) and not r.enter("path x", item, 0)
    assert len(r.findings) == 1  # a cycle ends quietly


def test_skips_notes_and_missing_references_point_at_the_object(tmp_path: Path) -> None:
    write(tmp_path, {"sync.yaml": "# header\n" + "apiVersion: example.io/v1\nkind: Sync\n"})
    r = resolver(tmp_path)
    item = Rendered(SYNC, "sync.yaml", 0)
    r.skip(item, "remote source")
    r.note(item, "postBuild not reproduced")
    r.missing(item, "ConfigMap vars is not in the rendered resources")
    assert r.skipped == ["Sync apps: remote source"]
    assert [(f.rule_id, f.severity.name, str(f.location.path), f.location.line, f.message)
            for f in r.findings] == [
        ("GG104", "INFO", "sync.yaml", 2, "not rendered: Sync apps: remote source"),
        ("GG104", "INFO", "sync.yaml", 2, "Sync apps: postBuild not reproduced"),
        ("GG105", "ERROR", "sync.yaml", 2, "ConfigMap vars is not in the rendered resources")]
    assert all(f.env == "prod" for f in r.findings)


def test_a_path_leaving_the_repository_is_refused(tmp_path: Path) -> None:
    write(tmp_path, {"outside/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"})
    root = tmp_path / "repo"
    root.mkdir()
    r = resolver(root)
    assert r.render_path("../outside") == []
    assert [f.rule_id for f in r.findings] == ["GG120"]
    assert resolver(root, load_restrictor_none=True).render_path("../outside") != []


@requires("kustomize")
def test_a_directory_with_a_kustomization_is_built(tmp_path: Path) -> None:
    write(tmp_path, {"app/kustomization.yaml": "resources: [cm.yaml]\nnamePrefix: p-\n",
                     "app/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"})
    [item] = resolver(tmp_path).render_path("/app/")
    assert item.data["metadata"]["name"] == "p-x"


@pytest.mark.parametrize(("data", "key"), [
    ({"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization"},
     ("kustomize.toolkit.fluxcd.io", "Kustomization")),
    ({"apiVersion": "v1", "kind": "ConfigMap"}, ("", "ConfigMap")),
    ({"apiVersion": 1, "kind": None}, ("", "")),
])
def test_group_kind(data: dict[str, Any], key: tuple[str, str]) -> None:
    assert group_kind(data) == key


def test_name_namespace_and_path_key() -> None:
    assert name_namespace({"metadata": {"name": "a", "namespace": None}}) == ("a", "")
    assert name_namespace({}) == ("", "")
    assert path_key("/apps/./web/", {"b": 1, "a": 2}, "ns") == \
        'path apps/web {"a": 2, "b": 1} ns'
