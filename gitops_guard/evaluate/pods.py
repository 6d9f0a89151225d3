"""Where pods come from: one extractor for every workload kind, and an index by label.

    POD_TEMPLATE_PATHS["CronJob"]       -> ("spec", "jobTemplate", "spec", "template")
    template_path(resource)             -> the pod template's path, any workload kind
    PodIndex(documents).select(ns, sel) -> the pod sources a selector matches

A pod source is a workload with a pod template (built-in kinds, Argo Rollouts,
OpenKruise CloneSets, and any custom resource whose `spec.template` holds containers)
or an operator's custom resource whose pods carry labels the operator documents
(Prometheus, Alertmanager, ThanosRuler). Objects that make pods this input cannot see
(a HelmRelease, a Flux Kustomization, an Argo CD Application) make their namespace
*opaque*: selector rules do not call a selector there empty.

The index answers a selector in time proportional to the smallest posting list of its
labels, so Service and PDB rules are linear in the input, not services x workloads.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from gitops_guard.model import Document, FieldPath

POD_TEMPLATE_PATHS: dict[str, FieldPath] = {
    "Pod": (),
    "Deployment": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
    "Rollout": ("spec", "template"),  # Argo Rollouts (argoproj.io)
    "CloneSet": ("spec", "template"),  # OpenKruise (apps.kruise.io)
}
# Workloads whose pods run until replaced (Job, CronJob and bare Pods left out).
LONG_RUNNING = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController",
                "Rollout", "CloneSet")
_GENERIC_TEMPLATE: FieldPath = ("spec", "template")
# API groups whose kinds are all known: a kind from them missing above makes no pods.
_BUILTIN_GROUPS = frozenset({
    "", "apps", "batch", "policy", "autoscaling", "networking.k8s.io",
    "rbac.authorization.k8s.io", "storage.k8s.io", "coordination.k8s.io", "discovery.k8s.io",
    "scheduling.k8s.io", "node.k8s.io", "admissionregistration.k8s.io", "apiextensions.k8s.io",
    "certificates.k8s.io", "resource.k8s.io", "flowcontrol.apiserver.k8s.io",
    "kustomize.config.k8s.io"})


def selects(selector: Mapping[str, Any], labels: Mapping[str, Any]) -> bool:
    """Kubernetes LabelSelector semantics (matchLabels and matchExpressions)."""
    match = selector.get("matchLabels")
    if isinstance(match, dict) and any(labels.get(k) != v for k, v in match.items()):
        return False
    for expr in selector.get("matchExpressions") or ():
        if not isinstance(expr, dict):
            continue
        key, op = str(expr.get("key", "")), expr.get("operator")
        values = expr.get("values") or ()
        has = key in labels
        if (op == "In" and labels.get(key) not in values) or \
                (op == "NotIn" and has and labels.get(key) in values) or \
                (op == "Exists" and not has) or (op == "DoesNotExist" and has):
            return False
    return True


def _at(node: Any, path: Iterable[str | int]) -> Any:
    for key in path:
        node = node.get(key) if type(node) is dict else None
    return node


def _group(resource: Mapping[str, Any]) -> str:
    api = str(resource.get("apiVersion", ""))
    return api.rsplit("/", 1)[0] if "/" in api else ""


def template_path(resource: Mapping[str, Any]) -> FieldPath | None:
    """Path of the pod template (the Pod itself: ()), None for kinds that have none."""
    kind = resource.get("kind")
    path = POD_TEMPLATE_PATHS.get(kind) if type(kind) is str else None
    if path is not None:
        return path
    if _group(resource) in _BUILTIN_GROUPS:
        return None
    containers = _at(resource, (*_GENERIC_TEMPLATE, "spec", "containers"))
    return _GENERIC_TEMPLATE if type(containers) is list else None


def pod_labels(resource: Mapping[str, Any]) -> Mapping[str, Any]:
    """The labels a workload's pods get (its pod template's), {} for kinds without pods."""
    path = template_path(resource)
    labels = _at(resource, (*path, "metadata", "labels")) if path is not None else None
    return labels if type(labels) is dict else {}


def _ports(spec: Any) -> tuple[frozenset[str], frozenset[int]]:
    names: set[str] = set()
    numbers: set[int] = set()
    containers = spec.get("containers") if type(spec) is dict else None
    for container in containers if type(containers) is list else ():
        for port in (container.get("ports") if type(container) is dict else None) or ():
            if type(port) is dict:
                if port.get("name"):
                    names.add(str(port["name"]))
                if type(port.get("containerPort")) is int:
                    numbers.add(port["containerPort"])
    return frozenset(names), frozenset(numbers)


class PodSource(NamedTuple):
    """Pods some object makes: their labels, and the ports their containers declare."""

    document: Document
    labels: Mapping[str, Any]
    port_names: frozenset[str] = frozenset()
    port_numbers: frozenset[int] = frozenset()
    ports_known: bool = True  # False: an operator decides its containers' ports


def _operator_labels(app: str, owner_label: str) -> Callable[[Document], dict[str, Any]]:
    """The labels prometheus-operator puts on the pods of a `kind` object named N."""

    def labels(doc: Document) -> dict[str, Any]:
        name = doc.resource.name if doc.resource is not None else ""
        made: dict[str, Any] = {}
        extra = _at(doc.data, ("spec", "podMetadata", "labels"))
        if type(extra) is dict:
            made.update(extra)
        made.update({"app.kubernetes.io/name": app, "app.kubernetes.io/instance": name,
                     "app.kubernetes.io/managed-by": "prometheus-operator",
                     "operator.prometheus.io/name": name, owner_label: name})
        if app == "prometheus":
            made["operator.prometheus.io/shard"] = "0"
        return made

    return labels


# (group, kind) -> the labels of the pods that operator creates for the object.
OPERATOR_PODS: dict[tuple[str, str], Callable[[Document], dict[str, Any]]] = {
    ("monitoring.coreos.com", "Prometheus"): _operator_labels("prometheus", "prometheus"),
    ("monitoring.coreos.com", "Alertmanager"): _operator_labels("alertmanager", "alertmanager"),
    ("monitoring.coreos.com", "ThanosRuler"): _operator_labels("thanos-ruler", "thanos-ruler"),
}
# (group, kind) of objects that deploy pods this input does not show, and where to.
_OPAQUE: dict[tuple[str, str], FieldPath] = {
    ("helm.toolkit.fluxcd.io", "HelmRelease"): ("spec", "targetNamespace"),
    ("kustomize.toolkit.fluxcd.io", "Kustomization"): ("spec", "targetNamespace"),
    ("argoproj.io", "Application"): ("spec", "destination", "namespace"),
}


class PodIndex:
    """Per namespace: the pod sources of `documents`, indexed by (label, value)."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self.sources: dict[str, list[PodSource]] = {}
        self._postings: dict[tuple[str, str, Any], list[int]] = {}
        self.opaque: set[str] = set()
        for doc in documents:
            key = doc.resource
            if key is None:
                continue
            ident = (key.group, key.kind)
            if ident in _OPAQUE:
                target = _at(doc.data, _OPAQUE[ident])
                self.opaque.add(target if isinstance(target, str) and target else key.namespace)
                continue
            made = OPERATOR_PODS.get(ident)
            if made is not None:
                self._add(key.namespace, PodSource(doc, made(doc), ports_known=False))
                continue
            path = template_path(doc.data)
            if path is not None:
                self._add(key.namespace, PodSource(doc, pod_labels(doc.data),
                                                   *_ports(_at(doc.data, (*path, "spec")))))

    def _add(self, namespace: str, source: PodSource) -> None:
        items = self.sources.setdefault(namespace, [])
        for label, value in source.labels.items():
            if isinstance(value, (str, int, float, bool)):
                self._postings.setdefault((namespace, label, value), []).append(len(items))
        items.append(source)

    def has_pods(self, namespace: str) -> bool:
        """Whether the input shows this namespace's pods (so an empty match means one)."""
        return bool(self.sources.get(namespace)) and namespace not in self.opaque

    def select(self, namespace: str, selector: Mapping[str, Any],
               expressions: Iterable[Any] = ()) -> list[PodSource]:
        """The sources whose pod labels match `selector` (equality: a Service's selector or
        a LabelSelector's matchLabels) and the LabelSelector `expressions`."""
        items = self.sources.get(namespace, [])
        candidates: Sequence[int] = range(len(items))
        for label, value in selector.items():
            if not isinstance(value, (str, int, float, bool)):
                return []
            posting = self._postings.get((namespace, label, value), [])
            if len(posting) < len(candidates):
                candidates = posting
            if not posting:
                return []
        full = {"matchLabels": dict(selector), "matchExpressions": list(expressions)}
        return [items[i] for i in candidates if selects(full, items[i].labels)]
