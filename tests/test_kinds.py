"""The one set of cluster-scoped kinds (kinds.py), as a user sees it: a cluster-scoped
resource without a namespace is not reported (GG505), a namespaced one is."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.kinds import CLUSTER_SCOPED, CLUSTER_SCOPED_KINDS
from tests.conftest import RunCli


@pytest.mark.parametrize(("api_version", "kind", "reported"), [
    ("v1", "Namespace", False),
    ("v1", "PersistentVolume", False),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", False),
    ("storage.k8s.io/v1", "StorageClass", False),
    ("networking.k8s.io/v1", "IngressClass", False),
    ("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", False),
    ("gateway.networking.k8s.io/v1", "GatewayClass", False),
    ("cert-manager.io/v1", "ClusterIssuer", False),
    ("v1", "ConfigMap", True),
    ("rbac.authorization.k8s.io/v1", "Role", True),
    ("networking.k8s.io/v1", "Ingress", True),
    ("cert-manager.io/v1", "Issuer", True),
])
def test_cluster_scoped_resources_need_no_namespace(run_cli: RunCli, tmp_path: Path,
                                                    api_version: str, kind: str,
                                                    reported: bool) -> None:
    (tmp_path / "r.yaml").write_text(
        f"apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: x\n")
    result = run_cli("check", str(tmp_path / "r.yaml"))
    assert (f'GG505  {kind} "x" has no namespace' in result.out) is reported, result.out


def test_kinds_by_name_are_the_kinds_of_the_set() -> None:
    assert {kind for _, kind in CLUSTER_SCOPED} == CLUSTER_SCOPED_KINDS
    assert all(group == group.lower() and kind[:1].isupper() for group, kind in CLUSTER_SCOPED)
