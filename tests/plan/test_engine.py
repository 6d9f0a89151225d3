"""The diff engine: objects matched by identity across apiVersion moves, renames found by
content, each change with its fields, risks first; unchanged objects counted."""
from __future__ import annotations

from typing import Any

import pytest

from gitops_guard.plan.engine import DiffSettings, find_renames, index_objects, similarity
from gitops_guard.plan.model import Identity
from tests.plan.helpers import deployment, edit, run_plan


def _obj(api: str, kind: str, name: str, ns: str | None = None, **rest: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if ns is not None:
        meta["namespace"] = ns
    return {"apiVersion": api, "kind": kind, "metadata": meta, **rest}


def test_api_version_migration_is_a_change_not_remove_and_add() -> None:
    spec = {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "maxReplicas": 5}
    before = _obj("autoscaling/v2beta2", "HorizontalPodAutoscaler", "web", spec=spec)
    after = _obj("autoscaling/v2", "HorizontalPodAutoscaler", "web", spec=spec)
    [change] = run_plan([before], [after]).changes
    assert change.action == "changed"
    assert change.before_api_version == "autoscaling/v2beta2"
    assert change.api_version == "autoscaling/v2"
    assert [(f.path, f.before, f.after) for f in change.fields] == [
        ("apiVersion", "autoscaling/v2beta2", "autoscaling/v2")]


def test_moved_group_is_the_same_object() -> None:
    before = edit(deployment())
    before["apiVersion"] = "extensions/v1beta1"
    [change] = run_plan([before], [deployment()]).changes
    assert change.action == "changed"


def test_other_group_same_kind_is_another_object() -> None:
    a = _obj("example.com/v1", "Widget", "w", spec={"size": 1})
    b = _obj("other.io/v1", "Widget", "w", spec={"size": 1})
    env = run_plan([a], [b])
    assert sorted(c.action for c in env.changes) == ["added", "removed"]


def test_rename_with_nearly_same_content_is_one_rename() -> None:
    before = deployment("web")
    after = edit(before)
    after["metadata"]["name"] = "web-v2"
    [change] = run_plan([before], [after]).changes
    assert change.action == "renamed"
    assert change.renamed_from == Identity("apps", "Deployment", "default", "web")
    assert change.identity.name == "web-v2"
    assert change.fields == ()


def test_different_content_is_not_a_rename() -> None:
    before = _obj("v1", "ConfigMap", "a", data={"x": "1", "y": "2", "z": "3"})
    after = _obj("v1", "ConfigMap", "b", data={"p": "9", "q": "8", "z": "3"})
    env = run_plan([before], [after])
    assert sorted(c.action for c in env.changes) == ["added", "removed"]


def test_added_removed_changed_and_unchanged_are_told_apart() -> None:
    keep = _obj("v1", "ConfigMap", "keep", data={"a": "1"})
    before = [keep, _obj("v1", "ConfigMap", "gone", data={"old": "x"}), deployment("web")]
    web = edit(deployment("web"))
    web["spec"]["replicas"] = 5
    after = [keep, web, _obj("v1", "Service", "new", spec={"ports": [{"port": 80}]})]
    env = run_plan(before, after)
    assert sorted((c.action, c.identity.name) for c in env.changes) == [
        ("added", "new"), ("changed", "web"), ("removed", "gone")]
    assert env.unchanged == 1
    assert env.unchanged_ids == {Identity("", "ConfigMap", "default", "keep")}
    changed = next(c for c in env.changes if c.action == "changed")
    assert [(f.path, f.before, f.after) for f in changed.fields] == [
        ("spec.replicas", 2, 5)]
    assert changed.source == "after.yaml"


def test_against_a_cluster_objects_only_there_are_not_removed() -> None:
    env = run_plan([_obj("v1", "ConfigMap", "live-only")], [],
                   DiffSettings(report_removed=False))
    assert env.changes == []


def test_risky_changes_come_first() -> None:
    env = run_plan([_obj("v1", "ConfigMap", "a"), _obj("v1", "Namespace", "shop")],
                   [_obj("v1", "ConfigMap", "a", data={"k": "v"})])
    assert [(c.action, c.identity.kind) for c in env.changes] == [
        ("removed", "Namespace"), ("changed", "ConfigMap")]
    assert env.changes[0].risk_level > env.changes[1].risk_level


@pytest.mark.parametrize(("a", "b", "score"), [
    ({"kind": "A", "metadata": {"name": "x"}, "d": 1}, {"kind": "A", "metadata": {"name": "y"},
                                                          "d": 1}, 1.0),  # the name aside
    ({"kind": "A", "d": 1}, {"kind": "A", "d": 2}, 1 / 3),
    ({}, {}, 1.0),
])
def test_similarity_compares_leaves_without_name_or_api_version(
        a: dict[str, Any], b: dict[str, Any], score: float) -> None:
    assert similarity(a, b) == pytest.approx(score)


def test_renames_pair_the_best_match_once_within_a_namespace() -> None:
    settings = DiffSettings()
    base = {"data": {"a": "1", "b": "2", "c": "3", "d": "4", "e": "5"}}
    removed = index_objects([(_obj("v1", "ConfigMap", "old", **base), "")], settings, set())
    added = index_objects([(_obj("v1", "ConfigMap", "new", **base), ""),
                           (_obj("v1", "ConfigMap", "copy", **base), ""),
                           (_obj("v1", "ConfigMap", "other-ns", "x", **base), "")],
                          settings, set())
    [(old, new)] = find_renames(removed, added)
    assert old.name == "old" and new.name in ("new", "copy") and new.namespace == "default"
