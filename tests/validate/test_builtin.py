"""The built-in schema engine over its sources: Kubernetes' own schemas and CRDs; a kind
with no schema is one GG210 per apiVersion/kind with a hint that says what to do."""
from __future__ import annotations

from typing import Any

import pytest

from gitops_guard.load import load_bytes
from gitops_guard.model import Document
from gitops_guard.validate.builtin import validate_builtin
from gitops_guard.validate.crd import CrdSchemas
from gitops_guard.validate.kubernetes import kubernetes_schemas
from gitops_guard.validate.options import SchemaOptions
from tests.conftest import RunCli
from tests.evaluate.conftest import Repo

CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size, mode]
              properties:
                size: {type: integer}
                mode: {type: string, default: auto, enum: [auto, manual]}
"""


def docs(text: str, path: str = "m.yaml") -> list[Document]:
    return load_bytes(text.encode(), path).documents


def run(documents: list[Document], missing: str = "warn", version: str = "1.31",
        **kw: Any) -> list[tuple[str, str, int, str]]:
    crds = CrdSchemas(True)
    for doc in docs(CRD, "crd.yaml"):
        crds.add(doc)
    k8s = kubernetes_schemas(version, True)
    options = SchemaOptions(version, missing_schemas=missing)
    return [(f.rule_id, f.severity.name, f.location.line, f.message)
            for f in validate_builtin(documents, [k8s, crds], options, k8s, **kw)]


def test_built_in_kinds_and_custom_resources_are_validated() -> None:
    found = run(docs("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
                     "spec: {replicas: many, selector: {}, template: {}}\n---\n"
                     "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"
                     "spec: {mode: manual}\n"))
    assert found == [
        ("GG201", "ERROR", 4,
         'spec.replicas: "many" is not of type integer (Kubernetes 1.31 strict)'),
        ("GG203", "ERROR", 9, 'missing required field "spec.size" (CRD widgets.example.com)')]


def test_a_crd_default_settles_a_required_field() -> None:
    # `mode` is required and has a default: the API server defaults, then validates
    assert run(docs("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"
                    "spec: {size: 1}\n")) == []


@pytest.mark.parametrize(("missing", "expected"), [
    ("warn", [("GG210", "WARNING", 2)]),  # once per apiVersion/kind
    ("reject", [("GG210", "ERROR", 2), ("GG210", "ERROR", 6)]),  # each resource
    ("ignore", []),
])
def test_a_kind_without_a_schema(missing: str, expected: list[tuple[str, str, int]]) -> None:
    text = ("apiVersion: other.io/v1\nkind: Gizmo\nmetadata: {name: a}\n---\n"
            "apiVersion: other.io/v1\nkind: Gizmo\nmetadata: {name: b}\n")
    found = run(docs(text), missing)
    assert [f[:3] for f in found] == expected
    if found:
        assert found[0][3] == ("no schema for Gizmo other.io/v1; add its CRD to the inputs or "
                               "--schema-location")


@pytest.mark.parametrize(("text", "hint"), [
    ("apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: p}\n",
     "; Kubernetes 1.31 serves PodDisruptionBudget as policy/v1"),
    ("apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: c}\n",
     "serves resource.k8s.io/v1: set kubernetes_version (or --kubernetes-version)"),
])
def test_the_hint_names_the_api_version_or_release_that_serves_the_kind(
        text: str, hint: str) -> None:
    [(rule, _, _, message)] = run(docs(text))
    assert rule == "GG210" and hint in message


def test_a_patch_file_is_not_held_to_required_fields() -> None:
    documents = docs("patches: [{path: widget-patch.yaml}]\n", "kustomization.yaml") + docs(
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {mode: bad}\n",
        "widget-patch.yaml")
    found = run(documents)
    assert [rule for rule, *_ in found] == ["GG201"]  # the enum, not the missing size


def test_kustomize_build_config_has_no_schema_to_meet() -> None:
    assert run(docs("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                    "resources: [a.yaml]\nunknownField: x\n", "kustomization.yaml")) == []


SOPS_SECRET = """
    apiVersion: v1
    kind: Secret
    metadata:
      name: app-secret
    stringData:
      config.yaml: ENC[AES256_GCM,data:VJzovSNAfXLQ,iv:2F34WzzR=,tag:29B/XKCn==,type:str]
    sops:
      age:
        - recipient: age1uk0y2ahfavgsgqvrtg5a22w5gytpdmjuatxtcw6kntmxhlcgreesuwzw5s
          enc: |
            -----BEGIN AGE ENCRYPTED FILE-----
            YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBPNXNzQnlPS2RrNHIvVGZq
            -----END AGE ENCRYPTED FILE-----
      lastmodified: "2024-10-08T19:15:36Z"
      mac: ENC[AES256_GCM,data:V5M5oDru,iv:iwPVzQ3d=,tag:P0pQCTE7==,type:str]
      encrypted_regex: ^(data|stringData)$
      version: 3.8.1
    """


def test_a_sops_encrypted_secret_is_judged_without_its_metadata(
        repo: Repo, run_cli: RunCli) -> None:
    """bjw-s/home-ops: four `*.sops.yaml` Secrets failed with GG202 'unknown field "sops"';
    kustomize-controller removes that key when it decrypts."""
    repo.write("apps/secret.sops.yaml", SOPS_SECRET)
    result = run_cli("check", "--no-builtin", "apps")
    assert result.code == 0, result.out
    assert result.out == "1 file, 1 resource, 0 errors, 0 warnings\n"


def test_other_unknown_fields_of_an_encrypted_secret_still_fail(
        repo: Repo, run_cli: RunCli) -> None:
    repo.write("apps/secret.sops.yaml", SOPS_SECRET.replace("stringData:", "stringDatta:"))
    result = run_cli("check", "--no-builtin", "apps")
    assert result.code == 1
    assert 'apps/secret.sops.yaml:5:1: error   GG202  unknown field "stringDatta"' in result.out


def test_a_top_level_sops_key_that_is_not_sops_metadata_is_an_unknown_field(
        repo: Repo, run_cli: RunCli) -> None:
    repo.write("apps/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
                               "sops: enabled\n")
    result = run_cli("check", "--no-builtin", "apps")
    assert 'GG202  unknown field "sops"' in result.out
