"""Issue 13, point 5: RBAC and secret rules say what they grant or hold, and no more.

Repos shaped like the Flux multi-tenancy layout (a tenant's reconciler bound to
cluster-admin by a RoleBinding) and like repos that keep secret *references* in Git
(1Password, argocd-vault-plugin, vals, Flux substitution, SOPS, SealedSecrets).
"""
from __future__ import annotations

import base64

import pytest

from tests.conftest import RunCli
from tests.evaluate.conftest import Repo

TENANT_RBAC = """
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: gotk-reconciler
  namespace: apps
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: ServiceAccount
    name: dev-team
    namespace: apps
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ci-root
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: ServiceAccount
    name: ci
    namespace: ci
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: tenant-admin
  namespace: apps
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: everything
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
"""


def _findings(run_cli: RunCli, *args: str) -> list[tuple[str, int, str, str]]:
    out = run_cli("check", "--no-schema", "-o", "json", *args).json()["findings"]
    return [(f["rule_id"], f["line"], f["severity"], f["message"]) for f in out]


def test_rbac_messages_name_the_scope_they_grant(repo: Repo, run_cli: RunCli) -> None:
    repo.write("tenants/rbac.yaml", TENANT_RBAC)
    found = [f for f in _findings(run_cli, "tenants/rbac.yaml") if f[0] in ("GG507", "GG508")]
    assert found == [
        ("GG508", 9, "warning", 'RoleBinding "gotk-reconciler" grants full control of '
         'namespace "apps" (ClusterRole cluster-admin bound in one namespace, not '
         "cluster-wide)"),
        ("GG508", 22, "error", 'ClusterRoleBinding "ci-root" grants cluster-admin on the '
         "whole cluster"),
        ("GG507", 34, "warning", 'Role rule 0 uses * in apiGroups, resources, verbs (full '
         'control of namespace "apps", no cluster-wide access)'),
        ("GG507", 43, "error", "ClusterRole rule 0 uses * in apiGroups, resources, verbs "
         "(equivalent to cluster-admin)"),
    ]
    # The tenant pattern alone does not fail the gate; the cluster-wide grants do.
    repo.write("tenant-only.yaml", TENANT_RBAC.split("---")[0])
    assert run_cli("check", "--no-schema", "tenant-only.yaml").code == 0


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize("value", [
    "op://vault/db/password",
    "<path:secret/data/db#password>",
    "<password>",
    "ref+vault://secret/db#/password",
    "ref+awssecrets://prod/db",
    "${DB_PASSWORD}",
    "ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]",
])
def test_secret_references_are_not_secrets_in_clear(repo: Repo, run_cli: RunCli,
                                                    value: str) -> None:
    repo.write("secret.yaml", f"""
        apiVersion: v1
        kind: Secret
        metadata:
          name: db
          namespace: apps
        stringData:
          password: "{value}"
        data:
          token: {_b64(value)}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
          namespace: apps
        spec:
          selector:
            matchLabels: {{app: api}}
          template:
            metadata:
              labels: {{app: api}}
            spec:
              containers:
                - name: api
                  image: ghcr.io/acme/api:1.0
                  env:
                    - name: DB_PASSWORD
                      value: "{value}"
        """)
    rules = {f[0] for f in _findings(run_cli, "secret.yaml")}
    assert not rules & {"GG509", "GG510"}


def test_literal_values_beside_references_are_still_reported(repo: Repo,
                                                              run_cli: RunCli) -> None:
    repo.write("secret.yaml", f"""
        apiVersion: v1
        kind: Secret
        metadata:
          name: db
          namespace: apps
        data:
          user: {_b64("op://vault/db/user")}
          password: {_b64("hunter2hunter2")}
        """)
    assert [f for f in _findings(run_cli, "secret.yaml") if f[0] == "GG510"] == [
        ("GG510", 8, "error", 'Secret "db" holds 1 unencrypted value(s) in data (password)')]


def test_sops_and_sealed_secrets_pass(repo: Repo, run_cli: RunCli) -> None:
    repo.write("sops.yaml", """
        apiVersion: v1
        kind: Secret
        metadata:
          name: db
          namespace: apps
        stringData:
          password: ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]
        sops:
          version: 3.9.0
          age:
            - recipient: age1qqqq
        ---
        apiVersion: bitnami.com/v1alpha1
        kind: SealedSecret
        metadata:
          name: api
          namespace: apps
        spec:
          encryptedData:
            password: AgBy3iabc
        """)
    rules = {f[0] for f in _findings(run_cli, "sops.yaml")}
    assert "GG510" not in rules


def test_secret_made_by_a_generator_or_controller_is_not_missing(repo: Repo,
                                                                 run_cli: RunCli) -> None:
    repo.write("app/kustomization.yaml", """
        namespace: apps
        resources: [deploy.yaml, secrets.yaml]
        secretGenerator:
          - name: generated
            envs: [secret.env]
        """)
    repo.write("app/secret.env", "A=1\n")
    repo.write("app/secrets.yaml", """
        apiVersion: v1
        kind: Secret
        metadata:
          name: plain
          namespace: apps
        type: Opaque
        ---
        apiVersion: external-secrets.io/v1beta1
        kind: ExternalSecret
        metadata:
          name: ext
          namespace: apps
        spec:
          target:
            name: from-vault
        ---
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClass
        metadata:
          name: csi
          namespace: apps
        spec:
          provider: azure
          secretObjects:
            - secretName: from-csi
              type: Opaque
        """)
    env = "\n".join(f"""
                    - name: V{i}
                      valueFrom:
                        secretKeyRef: {{name: {name}, key: k}}""" for i, name in enumerate(
        ("generated", "plain", "from-vault", "ext", "from-csi", "typo")))
    repo.write("app/deploy.yaml", f"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
          namespace: apps
        spec:
          selector:
            matchLabels: {{app: api}}
          template:
            metadata:
              labels: {{app: api}}
            spec:
              containers:
                - name: api
                  image: ghcr.io/acme/api:1.0
                  env:{env}
        """)
    missing = [f[3] for f in _findings(run_cli, "app") if f[0] == "GG609"]
    assert missing == ['Secret "typo" is referenced but not in the input']
