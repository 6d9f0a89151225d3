"""GG601: apiVersions deprecated in, or removed by, the target Kubernetes version.

The table follows the Kubernetes deprecated API migration guide
(https://kubernetes.io/docs/reference/using-api/deprecation-guide/) and pluto's
versions.yaml (https://github.com/FairwindsOps/pluto/blob/master/versions.yaml).
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from gitops_guard.evaluate.api import RuleContext, Violation, rule
from gitops_guard.model import Severity

NEWEST_KNOWN = (1, 37)  # assumed when no target version is given


class Removal(NamedTuple):
    deprecated: tuple[int, int]
    removed: tuple[int, int]
    replacement: str


def _table() -> dict[tuple[str, str], Removal]:
    rows: list[tuple[str, tuple[str, ...], str, str, str]] = [
        # apiVersion, kinds, deprecated in, removed in, replacement
        ("extensions/v1beta1", ("Deployment", "DaemonSet", "ReplicaSet", "NetworkPolicy"),
         "1.9", "1.16", "apps/v1 (NetworkPolicy: networking.k8s.io/v1)"),
        ("extensions/v1beta1", ("PodSecurityPolicy",), "1.10", "1.16", "policy/v1beta1"),
        ("extensions/v1beta1", ("Ingress",), "1.14", "1.22", "networking.k8s.io/v1"),
        ("apps/v1beta1", ("Deployment", "StatefulSet", "ReplicaSet"), "1.9", "1.16", "apps/v1"),
        ("apps/v1beta2", ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"),
         "1.9", "1.16", "apps/v1"),
        ("networking.k8s.io/v1beta1", ("Ingress", "IngressClass"), "1.19", "1.22",
         "networking.k8s.io/v1"),
        ("admissionregistration.k8s.io/v1beta1",
         ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"), "1.16", "1.22",
         "admissionregistration.k8s.io/v1"),
        ("apiextensions.k8s.io/v1beta1", ("CustomResourceDefinition",), "1.16", "1.22",
         "apiextensions.k8s.io/v1"),
        ("apiregistration.k8s.io/v1beta1", ("APIService",), "1.10", "1.22",
         "apiregistration.k8s.io/v1"),
        ("authentication.k8s.io/v1beta1", ("TokenReview",), "1.6", "1.22",
         "authentication.k8s.io/v1"),
        ("authorization.k8s.io/v1beta1", ("SubjectAccessReview", "LocalSubjectAccessReview",
                                          "SelfSubjectAccessReview"), "1.6", "1.22",
         "authorization.k8s.io/v1"),
        ("certificates.k8s.io/v1beta1", ("CertificateSigningRequest",), "1.19", "1.22",
         "certificates.k8s.io/v1"),
        ("coordination.k8s.io/v1beta1", ("Lease",), "1.14", "1.22", "coordination.k8s.io/v1"),
        ("rbac.authorization.k8s.io/v1beta1",
         ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"), "1.17", "1.22",
         "rbac.authorization.k8s.io/v1"),
        ("rbac.authorization.k8s.io/v1alpha1",
         ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"), "1.17", "1.22",
         "rbac.authorization.k8s.io/v1"),
        ("scheduling.k8s.io/v1beta1", ("PriorityClass",), "1.14", "1.22", "scheduling.k8s.io/v1"),
        ("storage.k8s.io/v1beta1", ("CSIDriver",), "1.19", "1.22", "storage.k8s.io/v1"),
        ("storage.k8s.io/v1beta1", ("CSINode",), "1.17", "1.22", "storage.k8s.io/v1"),
        ("storage.k8s.io/v1beta1", ("StorageClass",), "1.6", "1.22", "storage.k8s.io/v1"),
        ("storage.k8s.io/v1beta1", ("VolumeAttachment",), "1.13", "1.22", "storage.k8s.io/v1"),
        ("batch/v1beta1", ("CronJob",), "1.21", "1.25", "batch/v1"),
        ("discovery.k8s.io/v1beta1", ("EndpointSlice",), "1.21", "1.25", "discovery.k8s.io/v1"),
        ("events.k8s.io/v1beta1", ("Event",), "1.19", "1.25", "events.k8s.io/v1"),
        ("autoscaling/v2beta1", ("HorizontalPodAutoscaler",), "1.22", "1.25", "autoscaling/v2"),
        ("policy/v1beta1", ("PodDisruptionBudget",), "1.21", "1.25", "policy/v1"),
        ("policy/v1beta1", ("PodSecurityPolicy",), "1.21", "1.25",
         "Pod Security Admission (no replacement API)"),
        ("node.k8s.io/v1beta1", ("RuntimeClass",), "1.22", "1.25", "node.k8s.io/v1"),
        ("autoscaling/v2beta2", ("HorizontalPodAutoscaler",), "1.23", "1.26", "autoscaling/v2"),
        ("flowcontrol.apiserver.k8s.io/v1beta1", ("FlowSchema", "PriorityLevelConfiguration"),
         "1.23", "1.26", "flowcontrol.apiserver.k8s.io/v1"),
        ("storage.k8s.io/v1beta1", ("CSIStorageCapacity",), "1.24", "1.27", "storage.k8s.io/v1"),
        ("flowcontrol.apiserver.k8s.io/v1beta2", ("FlowSchema", "PriorityLevelConfiguration"),
         "1.26", "1.29", "flowcontrol.apiserver.k8s.io/v1"),
        ("flowcontrol.apiserver.k8s.io/v1beta3", ("FlowSchema", "PriorityLevelConfiguration"),
         "1.29", "1.32", "flowcontrol.apiserver.k8s.io/v1"),
    ]
    table: dict[tuple[str, str], Removal] = {}
    for api, kinds, deprecated, removed, replacement in rows:
        for kind in kinds:
            table[(api, kind)] = Removal(_version(deprecated) or (0, 0),
                                         _version(removed) or (0, 0), replacement)
    return table


def _version(text: str) -> tuple[int, int] | None:
    m = re.match(r"^v?(\d+)\.(\d+)", text.strip())
    return (int(m.group(1)), int(m.group(2))) if m else None


TABLE = _table()


@rule(
    id="GG601",
    severity="error",
    title="Deprecated or removed apiVersion",
    why="The API server stops serving removed apiVersions: the apply fails (or, after an "
        "upgrade, the GitOps controller can no longer sync) until the manifest is migrated. "
        "Deprecated ones are next.",
    fix="Migrate the manifest to the replacement apiVersion (`kubectl convert` helps) and "
        "review the field changes listed in the deprecation guide.",
    example="apiVersion: batch/v1\nkind: CronJob",
    doc_url="https://kubernetes.io/docs/reference/using-api/deprecation-guide/",
    fragments=True,
)
def deprecated_api_version(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    entry = TABLE.get((str(resource.get("apiVersion")), str(resource.get("kind"))))
    if entry is None:
        return
    target = _version(ctx.kubernetes_version or "") or NEWEST_KNOWN
    label = f"{resource['apiVersion']} {resource['kind']}"
    removed = "{}.{}".format(*entry.removed)
    if target >= entry.removed:
        yield Violation(f"{label} was removed in Kubernetes {removed} (target "
                        f"{target[0]}.{target[1]}); use {entry.replacement}", ("apiVersion",))
    elif target >= entry.deprecated:
        yield Violation(f"{label} is deprecated and will be removed in Kubernetes {removed}; "
                        f"use {entry.replacement}", ("apiVersion",), severity=Severity.WARNING)
