"""ValidatingAdmissionPolicies kept with the policies (`-p`, config `policies:`): found in
files and dirs; Rego, Python and other manifests there are not."""
from __future__ import annotations

from pathlib import Path

from gitops_guard.validate.apiserver.admission_sources import policy_documents

POLICY = """\
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: replicas}
spec:
  validations: [{expression: "object.spec.replicas <= 5"}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: replicas}
spec: {policyName: replicas, validationActions: [Deny]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: not-a-policy}
"""


def test_policies_and_bindings_in_files_and_dirs(tmp_path: Path) -> None:
    (tmp_path / "policies/sub").mkdir(parents=True)
    (tmp_path / "policies/sub/vap.yaml").write_text(POLICY)
    (tmp_path / "policies/deny.rego").write_text("package main\n")
    (tmp_path / "policies/acme.py").write_text("# admissionregistration.k8s.io\n")
    (tmp_path / "policies/cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\n")
    (tmp_path / "policies/.hidden").mkdir()
    (tmp_path / "policies/.hidden/vap.yaml").write_text(POLICY)
    (tmp_path / "one.yml").write_text(POLICY)
    found = policy_documents([str(tmp_path / "policies"), str(tmp_path / "one.yml"),
                              str(tmp_path / "absent")])
    assert [(Path(d.path).name, d.data["kind"]) for d in found] == [
        ("vap.yaml", "ValidatingAdmissionPolicy"),
        ("vap.yaml", "ValidatingAdmissionPolicyBinding"),
        ("one.yml", "ValidatingAdmissionPolicy"),
        ("one.yml", "ValidatingAdmissionPolicyBinding")]
