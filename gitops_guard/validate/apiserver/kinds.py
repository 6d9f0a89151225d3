"""Per-kind rules past ObjectMeta: one function per kind, one registry.

Follows kubernetes pkg/apis/apps/validation (ValidateDeploymentSpec, ValidateStatefulSetSpec,
ValidateDaemonSetSpec, ValidateReplicaSetSpec: replicas >= 0, a selector that selects the
template's labels, restartPolicy Always, rolling-update percentages), pkg/apis/batch/
validation (Job counts >= 0, restartPolicy OnFailure or Never, CronJob concurrencyPolicy),
pkg/apis/core/validation (ValidateService: type, ports unique by name and by
port+protocol, names required past one port; ValidateConfigMap / ValidateSecret keys),
pkg/apis/policy/validation (PodDisruptionBudget) and pkg/apis/autoscaling/validation
(HorizontalPodAutoscaler replica bounds).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gitops_guard.model import FieldPath, Severity
from gitops_guard.validate.apiserver import formats
from gitops_guard.validate.apiserver.meta import (
    selector_matches,
    validate_labels,
    validate_meta,
    validate_selector,
)
from gitops_guard.validate.apiserver.pods import validate_pod_spec
from gitops_guard.validate.apiserver.report import (
    BAD_LABEL,
    BAD_REFERENCE,
    BAD_VALUE,
    DUPLICATE,
    Issues,
    show,
)

KindRule = Callable[[Issues, dict[str, Any]], None]


def _minimum(issues: Issues, spec: dict[str, Any], path: FieldPath, key: str,
             low: int = 0) -> None:
    value = spec.get(key)
    if isinstance(value, int) and not isinstance(value, bool) and value < low:
        issues.add(BAD_VALUE, (*path, key),
                   f"Invalid value: {value}: must be greater than or equal to {low}")


def _int_or_percent(issues: Issues, path: FieldPath, value: Any) -> None:
    if isinstance(value, str):
        issues.invalid(BAD_VALUE, path, value, formats.percent(value))
        if not formats.percent(value) and int(value[:-1]) > 100:
            issues.add(BAD_VALUE, path, f"Invalid value: {show(value)}: must not be greater "
                       "than 100%")
    elif isinstance(value, int) and not isinstance(value, bool) and value < 0:
        issues.add(BAD_VALUE, path, f"Invalid value: {value}: must be greater than or equal "
                   "to 0")


def _template(issues: Issues, spec: dict[str, Any], path: FieldPath,
              restart: tuple[str, ...], selector: bool = True) -> None:
    template = spec.get("template")
    if not isinstance(template, dict):
        return
    meta = template.get("metadata")
    labels = meta.get("labels") if isinstance(meta, dict) else None
    if isinstance(meta, dict):
        validate_labels(issues, labels, (*path, "template", "metadata", "labels"))
    if selector and "selector" in spec:
        validate_selector(issues, spec["selector"], (*path, "selector"))
        if not selector_matches(spec["selector"], labels):
            issues.add(BAD_REFERENCE, (*path, "template", "metadata", "labels"),
                       "Invalid value: `selector` does not match template `labels`",
                       at=(*path, "template", "metadata", "labels") if labels else
                       (*path, "selector"))
    claims = spec.get("volumeClaimTemplates")
    names = frozenset(c["metadata"]["name"] for c in claims if isinstance(c, dict) and isinstance(
        c.get("metadata"), dict) and isinstance(c["metadata"].get("name"), str)) if isinstance(
        claims, list) else frozenset()
    validate_pod_spec(issues, template.get("spec"), (*path, "template", "spec"), restart,
                      template=True, claims=names)


def _workload(issues: Issues, data: dict[str, Any]) -> None:
    spec = data.get("spec")
    if not isinstance(spec, dict):
        return
    path: FieldPath = ("spec",)
    for key in ("replicas", "minReadySeconds", "revisionHistoryLimit"):
        _minimum(issues, spec, path, key)
    _template(issues, spec, path, ("Always",))
    strategy = spec.get("strategy") or spec.get("updateStrategy")
    key = "strategy" if "strategy" in spec else "updateStrategy"
    rolling = strategy.get("rollingUpdate") if isinstance(strategy, dict) else None
    if isinstance(rolling, dict):
        for bound in ("maxUnavailable", "maxSurge"):
            if bound in rolling:
                _int_or_percent(issues, (*path, key, "rollingUpdate", bound), rolling[bound])
        if rolling.get("maxUnavailable") in (0, "0%") and rolling.get("maxSurge") in (0, "0%"):
            issues.add(BAD_VALUE, (*path, key, "rollingUpdate", "maxUnavailable"),
                       "Invalid value: may not be 0 when `maxSurge` is 0")


def _replication_controller(issues: Issues, data: dict[str, Any]) -> None:
    """A ReplicationController's selector is a plain label map, not a LabelSelector."""
    spec = data.get("spec")
    if isinstance(spec, dict) and isinstance(spec.get("selector"), dict):
        validate_labels(issues, spec["selector"], ("spec", "selector"))
        spec = {**spec, "selector": {"matchLabels": spec["selector"]}}
    _workload(issues, {**data, "spec": spec})


def _job_spec(issues: Issues, spec: Any, path: FieldPath) -> None:
    if not isinstance(spec, dict):
        return
    for key in ("parallelism", "completions", "backoffLimit", "activeDeadlineSeconds",
                "ttlSecondsAfterFinished"):
        _minimum(issues, spec, path, key)
    _template(issues, spec, path, ("OnFailure", "Never"),
              selector=spec.get("manualSelector") is True)


def _job(issues: Issues, data: dict[str, Any]) -> None:
    _job_spec(issues, data.get("spec"), ("spec",))


def _cronjob(issues: Issues, data: dict[str, Any]) -> None:
    spec = data.get("spec")
    if not isinstance(spec, dict):
        return
    if "concurrencyPolicy" in spec:
        issues.unsupported(("spec", "concurrencyPolicy"), spec["concurrencyPolicy"],
                           ("Allow", "Forbid", "Replace"))
    for key in ("startingDeadlineSeconds", "successfulJobsHistoryLimit",
                "failedJobsHistoryLimit"):
        _minimum(issues, spec, ("spec",), key)
    job = spec.get("jobTemplate")
    if isinstance(job, dict):
        _job_spec(issues, job.get("spec"), ("spec", "jobTemplate", "spec"))


def _pod(issues: Issues, data: dict[str, Any]) -> None:
    validate_pod_spec(issues, data.get("spec"), ("spec",))


_SERVICE_TYPES = ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName")


def _service(issues: Issues, data: dict[str, Any]) -> None:
    spec = data.get("spec")
    if not isinstance(spec, dict):
        return
    if "type" in spec:
        issues.unsupported(("spec", "type"), spec["type"], _SERVICE_TYPES)
    if "sessionAffinity" in spec:
        issues.unsupported(("spec", "sessionAffinity"), spec["sessionAffinity"],
                           ("ClientIP", "None"))
    selector = spec.get("selector")
    validate_labels(issues, selector, ("spec", "selector"))
    ports = spec.get("ports")
    entries = [(i, p) for i, p in enumerate(ports) if isinstance(p, dict)] if isinstance(
        ports, list) else []
    names: set[Any] = set()
    pairs: set[tuple[Any, Any]] = set()
    for i, port in entries:
        where: FieldPath = ("spec", "ports", i)
        name = port.get("name")
        if len(entries) > 1 and not name:
            issues.add(BAD_VALUE, (*where, "name"), "Required value: a name is required "
                       "when a Service has more than one port", at=where)
        if isinstance(name, str) and name:
            issues.invalid(BAD_VALUE, (*where, "name"), name, formats.dns1123_label(name))
            if name in names:
                issues.add(DUPLICATE, (*where, "name"), f"Duplicate value: {show(name)}")
            names.add(name)
        protocol = port.get("protocol", "TCP")
        if "protocol" in port:
            issues.unsupported((*where, "protocol"), protocol, ("TCP", "UDP", "SCTP"))
        number = port.get("port")
        if isinstance(number, int) and not isinstance(number, bool):
            if not 1 <= number <= 65535:
                issues.add(BAD_VALUE, (*where, "port"), f"Invalid value: {number}: must be "
                           "between 1 and 65535, inclusive")
            if (number, protocol) in pairs:
                issues.add(DUPLICATE, (*where, "port"),
                           f"Duplicate value: {{port: {number}, protocol: {protocol}}}")
            pairs.add((number, protocol))
        target = port.get("targetPort")
        if isinstance(target, str):
            issues.invalid(BAD_VALUE, (*where, "targetPort"), target, formats.port_name(target))
        elif isinstance(target, int) and not isinstance(target, bool) and not (
                1 <= target <= 65535):
            issues.add(BAD_VALUE, (*where, "targetPort"), f"Invalid value: {target}: must be "
                       "between 1 and 65535, inclusive")


def _config_data(issues: Issues, data: dict[str, Any]) -> None:
    seen: set[str] = set()
    for part in ("data", "binaryData", "stringData"):
        values = data.get(part)
        for key in values if isinstance(values, dict) else ():
            issues.invalid(BAD_LABEL, (part, str(key)), key, formats.config_key(str(key)))
            if part == "binaryData" and key in seen:
                issues.add(DUPLICATE, (part, str(key)), f"Invalid value: {show(key)}: duplicate "
                           "of key present in data")
            seen.add(str(key))


def _pdb(issues: Issues, data: dict[str, Any]) -> None:
    spec = data.get("spec")
    if not isinstance(spec, dict):
        return
    if "minAvailable" in spec and "maxUnavailable" in spec:
        issues.add(BAD_VALUE, ("spec", "minAvailable"),
                   "Invalid value: minAvailable and maxUnavailable cannot be both set")
    for key in ("minAvailable", "maxUnavailable"):
        if key in spec:
            _int_or_percent(issues, ("spec", key), spec[key])
    validate_selector(issues, spec.get("selector"), ("spec", "selector"))


def _hpa(issues: Issues, data: dict[str, Any]) -> None:
    spec = data.get("spec")
    if not isinstance(spec, dict):
        return
    if spec.get("minReplicas") == 0 and _scales_to_zero(spec):
        # The API server takes 0 when the HPAScaleToZero feature gate is on (alpha), and
        # then only with an Object or External metric: a cluster flag the repo may set,
        # and the config may declare (apiserver.feature_gates, gates.py).
        if not issues.gate("HPAScaleToZero"):
            issues.add(BAD_VALUE, ("spec", "minReplicas"), "Invalid value: 0: must be "
                       "greater than or equal to 1, unless the cluster enables the "
                       "HPAScaleToZero feature gate (alpha; if it does, say so in the config: "
                       "apiserver: {feature_gates: {HPAScaleToZero: true}})", Severity.WARNING)
    else:
        _minimum(issues, spec, ("spec",), "minReplicas", 1)
    low, high = spec.get("minReplicas", 1), spec.get("maxReplicas")
    if isinstance(low, int) and isinstance(high, int) and high < low:
        issues.add(BAD_VALUE, ("spec", "maxReplicas"), f"Invalid value: {high}: must be "
                   "greater than or equal to `minReplicas`")


def _scales_to_zero(spec: dict[str, Any]) -> bool:
    metrics = spec.get("metrics")
    return isinstance(metrics, list) and any(
        isinstance(m, dict) and m.get("type") in ("Object", "External") for m in metrics)


KIND_RULES: dict[tuple[str, str], KindRule] = {
    ("", "Pod"): _pod,
    ("", "Service"): _service,
    ("", "ConfigMap"): _config_data,
    ("", "Secret"): _config_data,
    ("", "ReplicationController"): _replication_controller,
    ("apps", "Deployment"): _workload,
    ("apps", "StatefulSet"): _workload,
    ("apps", "DaemonSet"): _workload,
    ("apps", "ReplicaSet"): _workload,
    ("batch", "Job"): _job,
    ("batch", "CronJob"): _cronjob,
    ("policy", "PodDisruptionBudget"): _pdb,
    ("autoscaling", "HorizontalPodAutoscaler"): _hpa,
}


def validate_kind(issues: Issues, data: dict[str, Any], group: str, kind: str) -> None:
    validate_meta(issues, data.get("metadata"), group, kind)
    rule = KIND_RULES.get((group, kind))
    if rule is not None:
        rule(issues, data)
