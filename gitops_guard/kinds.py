"""Facts about Kubernetes kinds that every stage shares: which ones are cluster-scoped.

One set, keyed by (API group, kind): render/ uses it to leave such objects without a
namespace (Flux `targetNamespace`, an environment's namespace), plan/ for identity,
and the GG505 policy to skip them. CRDs found in the input add to it at run time
(plan/identity.py `cluster_scoped_crds`).
"""
from __future__ import annotations

CLUSTER_SCOPED: frozenset[tuple[str, str]] = frozenset({
    ("", "Namespace"), ("", "Node"), ("", "PersistentVolume"), ("", "ComponentStatus"),
    ("rbac.authorization.k8s.io", "ClusterRole"),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
    ("apiextensions.k8s.io", "CustomResourceDefinition"),
    ("storage.k8s.io", "StorageClass"), ("storage.k8s.io", "CSIDriver"),
    ("storage.k8s.io", "CSINode"), ("storage.k8s.io", "VolumeAttachment"),
    ("snapshot.storage.k8s.io", "VolumeSnapshotClass"),
    ("scheduling.k8s.io", "PriorityClass"),
    ("networking.k8s.io", "IngressClass"), ("networking.k8s.io", "IPAddress"),
    ("networking.k8s.io", "ServiceCIDR"),
    ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"),
    ("admissionregistration.k8s.io", "MutatingAdmissionPolicy"),
    ("admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding"),
    ("apiregistration.k8s.io", "APIService"),
    ("node.k8s.io", "RuntimeClass"),
    ("policy", "PodSecurityPolicy"),
    ("certificates.k8s.io", "CertificateSigningRequest"),
    ("certificates.k8s.io", "ClusterTrustBundle"),
    ("flowcontrol.apiserver.k8s.io", "FlowSchema"),
    ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"),
    ("resource.k8s.io", "DeviceClass"), ("resource.k8s.io", "ResourceSlice"),
    ("storagemigration.k8s.io", "StorageVersionMigration"),
    ("authentication.k8s.io", "TokenReview"), ("authentication.k8s.io", "SelfSubjectReview"),
    ("authorization.k8s.io", "SelfSubjectAccessReview"),
    ("authorization.k8s.io", "SubjectAccessReview"),
    ("authorization.k8s.io", "SelfSubjectRulesReview"),
    # common controllers' cluster-scoped kinds
    ("cert-manager.io", "ClusterIssuer"), ("kyverno.io", "ClusterPolicy"),
    ("external-secrets.io", "ClusterSecretStore"),
    ("external-secrets.io", "ClusterExternalSecret"),
    ("gateway.networking.k8s.io", "GatewayClass"),
    ("policy.sigstore.dev", "ClusterImagePolicy"),
    ("wgpolicyk8s.io", "ClusterPolicyReport"),
})

# The same kinds by name alone, for callers that see manifests before their group is
# known to be right (an old apiVersion still names the same cluster-scoped kind).
CLUSTER_SCOPED_KINDS: frozenset[str] = frozenset(kind for _, kind in CLUSTER_SCOPED)
