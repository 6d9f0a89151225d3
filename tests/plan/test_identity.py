"""Resource identity: namespace defaulting, cluster scope (CRDs learned from the inputs)."""
from __future__ import annotations

from typing import Any

from gitops_guard.plan.engine import DiffSettings
from gitops_guard.plan.identity import identity_of
from gitops_guard.plan.model import Identity
from tests.plan.helpers import run_plan


def _obj(api: str, kind: str, name: str, ns: str | None = None, **rest: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if ns is not None:
        meta["namespace"] = ns
    return {"apiVersion": api, "kind": kind, "metadata": meta, **rest}


def test_namespace_defaults_like_the_api_server() -> None:
    assert identity_of(_obj("v1", "ConfigMap", "c")) == Identity("", "ConfigMap", "default", "c")
    assert identity_of(_obj("v1", "ConfigMap", "c"), "team") == \
        Identity("", "ConfigMap", "team", "c")
    assert identity_of(_obj("v1", "Namespace", "team", "ignored")) == \
        Identity("", "Namespace", "", "team")
    for api, kind in [("rbac.authorization.k8s.io/v1", "ClusterRole"),
                      ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
                      ("storage.k8s.io/v1", "StorageClass"),
                      ("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration")]:
        assert identity_of(_obj(api, kind, "x", "ns")).namespace == ""


def test_explicit_default_namespace_is_the_same_object_as_none() -> None:
    before = _obj("v1", "ConfigMap", "c", data={"a": "1"})
    after = _obj("v1", "ConfigMap", "c", "default", data={"a": "1"})
    env = run_plan([before], [after])
    assert [c.action for c in env.changes] == ["changed"]  # metadata.namespace added only
    assert env.changes[0].fields[0].path == "metadata.namespace"
    env = run_plan([before], [_obj("v1", "ConfigMap", "c", "other", data={"a": "1"})])
    assert sorted(c.action for c in env.changes) == ["renamed"] or \
        sorted(c.action for c in env.changes) == ["added", "removed"]


def test_cluster_scoped_crd_kinds_learned_from_inputs() -> None:
    crd = _obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com",
               spec={"group": "example.com", "scope": "Cluster", "names": {"kind": "Widget"}})
    w1 = _obj("example.com/v1", "Widget", "w", "ns1", spec={"size": 1})
    w2 = _obj("example.com/v1", "Widget", "w", spec={"size": 1})
    env = run_plan([crd, w1], [crd, w2], DiffSettings(default_namespace="x"))
    [change] = env.changes
    assert change.identity.namespace == "" and change.action == "changed"
