"""Risk labels, and risky changes listed first."""
from __future__ import annotations

from typing import Any

from gitops_guard.plan.model import Risk
from tests.plan.helpers import container, deployment, edit, run_plan


def _codes(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[str]:
    return [r.code for c in run_plan(before, after).changes for r in c.risks]


def _obj(api: str, kind: str, name: str, **rest: Any) -> dict[str, Any]:
    return {"apiVersion": api, "kind": kind, "metadata": {"name": name}, **rest}


def test_destructive_deletions() -> None:
    objs = [_obj("v1", "Namespace", "team"), _obj("v1", "PersistentVolumeClaim", "data"),
            _obj("v1", "PersistentVolume", "pv"), _obj("apps/v1", "StatefulSet", "db"),
            _obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", "w.example.com"),
            _obj("v1", "ConfigMap", "cfg")]
    env = run_plan(objs, [])
    flagged = {c.identity.kind for c in env.changes if c.risks}
    assert flagged == {"Namespace", "PersistentVolumeClaim", "PersistentVolume", "StatefulSet",
                       "CustomResourceDefinition"}
    assert env.changes[-1].identity.kind == "ConfigMap"  # the harmless one comes last
    assert all(r.level == 2 for c in env.changes for r in c.risks)


def test_changed_deployment_selector_is_flagged_immutable() -> None:
    before = deployment()
    after = edit(before)
    after["spec"]["selector"]["matchLabels"]["tier"] = "frontend"
    after["spec"]["template"]["metadata"]["labels"]["tier"] = "frontend"
    [change] = run_plan([before], [after]).changes
    assert change.risks == (Risk(
        "immutable-field", "spec.selector is immutable: apply will fail "
        "(the object must be deleted and recreated)", 2),)


def test_other_immutable_fields() -> None:
    sts = _obj("apps/v1", "StatefulSet", "db", spec={"serviceName": "db", "replicas": 1})
    sts2 = edit(sts)
    sts2["spec"]["serviceName"] = "db-headless"
    assert _codes([sts], [sts2]) == ["immutable-field"]
    svc = _obj("v1", "Service", "s", spec={"clusterIP": "10.0.0.1"})
    svc2 = _obj("v1", "Service", "s", spec={"clusterIP": "10.0.0.2"})
    assert _codes([svc], [svc2]) == ["immutable-field"]
    pvc = _obj("v1", "PersistentVolumeClaim", "p", spec={"storageClassName": "a"})
    pvc2 = _obj("v1", "PersistentVolumeClaim", "p", spec={"storageClassName": "b"})
    assert _codes([pvc], [pvc2]) == ["immutable-field"]
    job = _obj("batch/v1", "Job", "j", spec={"template": {"spec": {"containers": [
        {"name": "j", "image": "a:1"}]}}})
    job2 = edit(job)
    job2["spec"]["template"]["spec"]["containers"][0]["image"] = "a:2"
    assert _codes([job], [job2]) == ["immutable-field"]


def test_scale_to_zero_latest_image_and_removed_limits() -> None:
    before = deployment()
    after = edit(before)
    after["spec"]["replicas"] = 0
    container(after)["image"] = "web:latest"
    del container(after)["resources"]["limits"]["memory"]
    assert sorted(_codes([before], [after])) == ["image-latest", "limits-removed",
                                                 "scale-to-zero"]
    untagged = edit(before)
    container(untagged)["image"] = "registry:5000/web"
    assert _codes([before], [untagged]) == ["image-latest"]
    pinned = edit(before)
    container(pinned)["image"] = "web@sha256:" + "0" * 64
    assert _codes([before], [pinned]) == []


def test_rbac_widened_only_when_permissions_grow() -> None:
    role = _obj("rbac.authorization.k8s.io/v1", "ClusterRole", "r", rules=[
        {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}])
    narrower = edit(role)
    narrower["rules"][0]["verbs"] = ["get"]
    assert _codes([role], [narrower]) == []
    wider = edit(role)
    wider["rules"][0]["resources"] = ["pods", "secrets"]
    [change] = run_plan([role], [wider]).changes
    assert change.risks[0].code == "rbac-widened"
    assert "get secrets" in change.risks[0].message and "list secrets" in change.risks[0].message
    star = edit(role)
    star["rules"][0]["verbs"] = ["*"]
    assert _codes([role], [star]) == ["rbac-widened"]


def test_risky_changes_are_listed_first() -> None:
    cm = _obj("v1", "ConfigMap", "a", data={"x": "1"})
    cm2 = _obj("v1", "ConfigMap", "a", data={"x": "2"})
    before, after = deployment(), deployment()
    after["spec"]["selector"]["matchLabels"]["v"] = "2"
    env = run_plan([cm, before], [cm2, after])
    assert [c.identity.kind for c in env.changes] == ["Deployment", "ConfigMap"]
