"""Secrets not in clear: values that are references filled in at deploy time, and Secrets
something other than a `kind: Secret` manifest provides."""
from __future__ import annotations

import base64
from typing import Any

import pytest

from gitops_guard.evaluate.secret_refs import (
    decoded_reference_kind,
    kustomization_outputs,
    provided_objects,
    reference_kind,
)
from gitops_guard.load import load_bytes


@pytest.mark.parametrize(("value", "kind"), [
    ("ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]", "SOPS ciphertext"),
    ("op://prod/db/password", "1Password reference"),
    ("<path:secret/data/db#password>", "argocd-vault-plugin placeholder"),
    ("<db-password>", "argocd-vault-plugin placeholder"),
    ("ref+vault://secret/db#/password", "vals reference"),
    ("${DB_PASSWORD}", "variable substitution"),
    ("$(DB_PASSWORD)", "variable substitution"),
    ("{{ .Values.password }}", "template expression"),
    ("vault:secret/data/db#password", "Vault agent reference"),
    ("  op://prod/db/password  ", "1Password reference"),  # blanks around are fine
    ("hunter2", None),
    ("prefix-${DB_PASSWORD}", None),  # a reference inside a literal is still a literal
    ("op://only-two/parts", None),
])
def test_reference_kind(value: str, kind: str | None) -> None:
    assert reference_kind(value) == kind


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(("encoded", "kind"), [
    (b64("op://prod/db/password"), "1Password reference"),
    ("<path:secret/data/db#password>", "argocd-vault-plugin placeholder"),  # not encoded yet
    (b64("hunter2"), None),
    ("not base64!", None),
    (base64.b64encode(b"\xff\xfe").decode(), None),
])
def test_decoded_reference_kind(encoded: str, kind: str | None) -> None:
    assert decoded_reference_kind(encoded) == kind


def resource(kind: str, name: str = "maker", **spec: Any) -> dict[str, Any]:
    return {"kind": kind, "metadata": {"name": name}, "spec": spec}


@pytest.mark.parametrize(("data", "provided"), [
    (resource("Secret", "s"), [("Secret", "s")]),
    (resource("ConfigMap", "c"), [("ConfigMap", "c")]),
    (resource("ExternalSecret"), [("Secret", "maker")]),
    (resource("SealedSecret"), [("Secret", "maker")]),
    (resource("OnePasswordItem"), [("Secret", "maker")]),
    (resource("Certificate", secretName="tls-web"), [("Secret", "tls-web")]),
    (resource("VaultStaticSecret", destination={"name": "db"}), [("Secret", "db")]),
    (resource("SecretProviderClass", secretObjects=[{"secretName": "csi"}, {}]),
     [("Secret", "csi")]),
    (resource("Deployment"), []),
])
def test_provided_objects(data: dict[str, Any], provided: list[tuple[str, str]]) -> None:
    assert list(provided_objects(data)) == provided


@pytest.mark.parametrize(("path", "text", "outputs"), [
    ("app/kustomization.yaml",
     "secretGenerator: [{name: db, literals: [a=b]}]\nconfigMapGenerator: [{name: cfg}, {}]\n",
     [("Secret", "db"), ("ConfigMap", "cfg")]),
    ("app/build.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                       "secretGenerator: [{name: db}]\n", [("Secret", "db")]),
    ("app/kustomization.yaml", "resources: [a.yaml]\n", []),
    ("app/other.yaml", "secretGenerator: [{name: db}]\n", None),  # not a kustomization
])
def test_kustomization_outputs(path: str, text: str,
                               outputs: list[tuple[str, str]] | None) -> None:
    [doc] = load_bytes(text.encode(), path).documents
    assert kustomization_outputs(doc) == outputs
