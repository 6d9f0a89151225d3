"""Noise rules: hidden by default, always counted, configurable."""
from __future__ import annotations

from typing import Any

from gitops_guard.plan.engine import DiffSettings
from gitops_guard.plan.noise import NoiseFilter, noise_rules
from tests.plan.helpers import deployment, edit, run_plan


def _helm_release(before: dict[str, Any], version: str) -> dict[str, Any]:
    after = edit(before)
    for meta in (after["metadata"], after["spec"]["template"]["metadata"]):
        meta["labels"]["helm.sh/chart"] = f"web-{version}"
        meta["labels"]["app.kubernetes.io/version"] = version
    after["spec"]["template"]["metadata"]["annotations"] = {"checksum/config": version}
    after["status"] = {"readyReplicas": 2}
    after["metadata"].update(uid="u", resourceVersion="9", generation=3,
                             creationTimestamp="2024-01-01T00:00:00Z",
                             managedFields=[{"manager": "kubectl"}])
    return after


def test_noise_only_changes_leave_the_resource_unchanged_and_are_counted() -> None:
    base = _helm_release(deployment(), "1.0")
    base.pop("status")
    env = run_plan([base], [_helm_release(deployment(), "1.1")])
    assert env.changes == []
    assert env.unchanged == 1
    assert env.hidden == {"helm-chart-label": 2, "app-version-label": 2,
                          "checksum-annotation": 1, "status": 1}


def test_each_rule_counts_what_it_hid() -> None:
    before = deployment()
    before["metadata"].update(uid="a", resourceVersion="1", generation=1)
    before["status"] = {"readyReplicas": 1}
    after = _helm_release(deployment(), "2.0")
    container = after["spec"]["template"]["spec"]["containers"][0]
    container["image"] = "web:2.0"
    env = run_plan([before], [after])
    [change] = env.changes
    assert [f.path for f in change.fields] == ["spec.template.spec.containers[name=web].image"]
    assert env.hidden == {
        "helm-chart-label": 2, "app-version-label": 2, "checksum-annotation": 1,
        "status": 1, "server-metadata": 4, "managed-fields": 1}


def test_disabled_rule_shows_its_changes_and_extra_rule_hides_more() -> None:
    before = deployment()
    after = _helm_release(before, "1.1")
    after["metadata"].setdefault("annotations", {})["argocd.argoproj.io/tracking-id"] = "x"
    rules = noise_rules(disable=["helm-chart-label"],
                        extra=[("argo-tracking", "metadata.annotations.argocd.argoproj.io/*")])
    env = run_plan([before], [after], DiffSettings(noise=NoiseFilter(rules)))
    paths = [f.path for f in env.changes[0].fields]
    assert "metadata.labels.helm.sh/chart" in paths
    assert "metadata.annotations.argocd.argoproj.io/tracking-id" not in paths
    assert env.hidden["argo-tracking"] == 1
    assert "helm-chart-label" not in env.hidden
