"""render/flux/remote_cluster.py: which cluster a Flux object's `spec.kubeConfig` names."""
from __future__ import annotations

from typing import Any

import pytest

from gitops_guard.render.flux.remote_cluster import remote_cluster, sent_to
from gitops_guard.render.sources import Rendered


@pytest.mark.parametrize(("spec", "parent", "expected"), [
    ({}, "", ""),
    ({"kubeConfig": {"secretRef": {"name": "spoke"}}}, "", "kubeConfig production/spoke"),
    ({"kubeConfig": {"configMapRef": {"name": "aks"}}}, "", "kubeConfig production/aks"),
    ({"kubeConfig": {"secretRef": {}}}, "", ""),  # no name: the controller refuses it
    ({}, "kubeConfig hub/spoke", "kubeConfig hub/spoke"),  # inherited from what applies it
    ({"kubeConfig": {"secretRef": {"name": "b"}}}, "kubeConfig hub/a", "kubeConfig production/b"),
])
def test_remote_cluster(spec: dict[str, Any], parent: str, expected: str) -> None:
    assert remote_cluster(spec, "production", Rendered({}, cluster=parent)) == expected


def test_sent_to_marks_every_item_and_leaves_this_cluster_alone() -> None:
    items = [Rendered({"kind": "Namespace"}, "a.yaml"), Rendered({"kind": "ConfigMap"})]
    assert [r.cluster for r in sent_to(items, "kubeConfig p/s")] == ["kubeConfig p/s"] * 2
    assert sent_to(items, "") is items


def test_the_cluster_survives_the_render_cache() -> None:
    item = Rendered({"kind": "Namespace"}, "a.yaml", 0, 3, (), "kubeConfig p/s")
    assert Rendered.from_json(item.to_json()) == item
    old = item.to_json()
    del old["cluster"]  # an entry written before the field existed
    assert Rendered.from_json(old).cluster == ""
