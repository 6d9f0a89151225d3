"""The plan's values: how an identity and a secret print, what makes two changes the same
change across environments, a plan's counts."""
from __future__ import annotations

import pytest

from gitops_guard.plan.model import (
    EnvPlan,
    FieldChange,
    Identity,
    Masked,
    Plan,
    ResourceChange,
    Risk,
)


@pytest.mark.parametrize(("identity", "shown"), [
    (Identity("", "ConfigMap", "apps", "settings"), "ConfigMap apps/settings"),
    (Identity("apps", "Deployment", "apps", "web"), "Deployment apps/web"),
    (Identity("cert-manager.io", "Certificate", "apps", "tls"),
     "Certificate.cert-manager.io apps/tls"),
    (Identity("rbac.authorization.k8s.io", "ClusterRole", "", "reader"),
     "ClusterRole.rbac.authorization.k8s.io reader"),
])
def test_identity_prints_as_kubectl_names_it(identity: Identity, shown: str) -> None:
    assert str(identity) == shown


def test_a_masked_value_shows_its_length_only() -> None:
    secret = Masked(12, "digest-of-the-value")
    assert str(secret) == "<secret, 12 bytes>"
    assert "digest-of-the-value" not in repr(secret)


WEB = Identity("apps", "Deployment", "dev", "web")


def change(namespace: str = "dev", after: int = 3, *risks: Risk) -> ResourceChange:
    return ResourceChange(WEB._replace(namespace=namespace), "changed", "apps/v1", "", None,
                          (FieldChange("spec.replicas", "changed", 2, after),), risks)


def test_the_same_change_in_another_namespace_has_the_same_signature() -> None:
    assert change("dev").signature() == change("prod").signature()
    assert change("dev").signature() != change("dev", after=4).signature()


def test_risk_level_is_the_highest_risk() -> None:
    assert change().risk_level == 0
    assert change("dev", 3, Risk("a", "m", 1), Risk("b", "m", 2)).risk_level == 2


def test_plan_counts() -> None:
    quiet = EnvPlan("dev", unrendered=["chart web: not rendered"])
    busy = EnvPlan("prod", changes=[change(), ResourceChange(WEB, "added")],
                   unrendered=["a", "b"])
    assert (quiet.has_changes, busy.has_changes, busy.count("added")) == (False, True, 1)
    assert Plan([quiet]).has_changes is False
    plan = Plan([quiet, busy])
    assert (plan.has_changes, plan.unrendered) == (True, 3)
