"""PodSpec, wherever it sits (a Pod, a workload's template, a CronJob's job template).

Follows kubernetes pkg/apis/core/validation/validation.go: ValidatePodSpec,
validateContainers (names unique across containers, init and ephemeral containers,
DNS-1123 labels; imagePullPolicy; ports), validateContainerPorts (1-65535, IANA_SVC_NAME
names), ValidateVolumes (unique DNS-1123 label names, at most one source),
validateVolumeMounts (a mount names a volume of the pod), validateProbe / validateHandler
(exactly one handler), validateEnv (IsEnvVarName before 1.32, IsRelaxedEnvVarName from
1.32 on: the target version decides), ValidateResourceRequirements (quantities not
negative, requests at most limits), and pkg/api/pod/warnings.go (an env var defined
twice is a warning). Rules that follow the target version: versioned.py.
"""
from __future__ import annotations

from typing import Any

from gitops_guard.model import FieldPath, Severity
from gitops_guard.validate.apiserver import formats, versioned
from gitops_guard.validate.apiserver.report import (
    BAD_NAME,
    BAD_QUANTITY,
    BAD_REFERENCE,
    BAD_VALUE,
    DUPLICATE,
    Issues,
    show,
)

_PULL = ("Always", "IfNotPresent", "Never")
_RESTART = ("Always", "OnFailure", "Never")
_DNS = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
_PROTOCOLS = ("TCP", "UDP", "SCTP")
_MESSAGE_POLICY = ("File", "FallbackToLogsOnError")
_PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
_LIFECYCLE_HANDLERS = ("exec", "httpGet", "tcpSocket", "sleep")
_LIFECYCLE_BEFORE_SLEEP = ("exec", "httpGet", "tcpSocket")  # PodLifecycleSleepAction: 1.30
_CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")
_NOT_SOURCES = frozenset({"name"})


def _items(value: Any) -> list[tuple[int, dict[str, Any]]]:
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] if isinstance(
        value, list) else []


def _port(issues: Issues, path: FieldPath, value: Any, low: int = 1) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and not low <= value <= 65535:
        issues.add(BAD_VALUE, path, f"Invalid value: {value}: must be between {low} and "
                   "65535, inclusive")


def _handler(issues: Issues, path: FieldPath, spec: Any, kinds: tuple[str, ...]) -> None:
    if not isinstance(spec, dict):
        return
    set_ = [k for k in kinds if spec.get(k) is not None]
    if not set_:
        dropped = " (a sleep action is dropped before Kubernetes 1.30: PodLifecycleSleepAction" \
            ")" if spec.get("sleep") is not None and "sleep" not in kinds else ""
        issues.add(BAD_REFERENCE, path, "Required value: must specify a handler type" + dropped)
    for extra in set_[1:]:
        issues.add(BAD_REFERENCE, (*path, extra),
                   "Forbidden: may not specify more than 1 handler type")
    for key in set_:
        sub = spec.get(key)
        if isinstance(sub, dict) and key in ("httpGet", "tcpSocket"):
            port = sub.get("port")
            if isinstance(port, str):
                issues.invalid(BAD_VALUE, (*path, key, "port"), port, formats.port_name(port))
            else:
                _port(issues, (*path, key, "port"), port)


def _ports(issues: Issues, path: FieldPath, ports: Any) -> None:
    names: set[str] = set()
    for i, port in _items(ports):
        where = (*path, i)
        if "containerPort" in port:
            _port(issues, (*where, "containerPort"), port["containerPort"])
        if port.get("hostPort") not in (None, 0):
            _port(issues, (*where, "hostPort"), port["hostPort"])
        if "protocol" in port:
            issues.unsupported((*where, "protocol"), port["protocol"], _PROTOCOLS)
        name = port.get("name")
        if isinstance(name, str) and name:
            issues.invalid(BAD_VALUE, (*where, "name"), name, formats.port_name(name))
            if name in names:
                issues.add(DUPLICATE, (*where, "name"), f"Duplicate value: {show(name)}")
            names.add(name)


def _resources(issues: Issues, path: FieldPath, resources: Any) -> None:
    if not isinstance(resources, dict):
        return
    parsed: dict[str, dict[str, Any]] = {}
    for part in ("limits", "requests"):
        values = resources.get(part)
        for name, raw in (values.items() if isinstance(values, dict) else ()):
            where = (*path, part, name)
            amount = formats.parse_quantity(raw)
            if amount is None:
                issues.invalid(BAD_QUANTITY, where, raw, formats.quantity(raw))
            elif amount < 0:
                issues.add(BAD_QUANTITY, where,
                           f"Invalid value: {show(raw)}: must be greater than or equal to 0")
            else:
                parsed.setdefault(part, {})[name] = amount
    limits = parsed.get("limits", {})
    for name, amount in parsed.get("requests", {}).items():
        if name in limits and amount > limits[name]:
            raw = resources["requests"][name]
            issues.add(BAD_QUANTITY, (*path, "requests", name),
                       f"Invalid value: {show(raw)}: must be less than or equal to {name} limit "
                       f"of {resources['limits'][name]}")


def _env(issues: Issues, path: FieldPath, env: Any) -> None:
    seen: set[str] = set()
    for i, var in _items(env):
        name = var.get("name")
        if isinstance(name, str):
            issues.invalid(BAD_VALUE, (*path, i, "name"), name,
                           formats.env_var_name(
                               name, issues.gate("RelaxedEnvironmentVariableValidation")))
            if name in seen:
                issues.add(DUPLICATE, (*path, i, "name"), f"hides previous definition of "
                           f"environment variable {show(name)}", Severity.WARNING)
            seen.add(name)


def _container(issues: Issues, path: FieldPath, spec: dict[str, Any], volumes: set[str],
               pod: dict[str, Any], group: str) -> None:
    if "imagePullPolicy" in spec:
        issues.unsupported((*path, "imagePullPolicy"), spec["imagePullPolicy"], _PULL)
    if "terminationMessagePolicy" in spec:
        issues.unsupported((*path, "terminationMessagePolicy"),
                           spec["terminationMessagePolicy"], _MESSAGE_POLICY)
    _ports(issues, (*path, "ports"), spec.get("ports"))
    _env(issues, (*path, "env"), spec.get("env"))
    _resources(issues, (*path, "resources"), spec.get("resources"))
    if group == "initContainers" and not versioned.init_container(issues, path, spec):
        pass  # probes and lifecycle are forbidden, and reported so
    elif group != "ephemeralContainers":
        _probes_and_hooks(issues, path, spec, pod)
    if group == "containers":
        versioned.container_restart(issues, path, spec)
    mounts: set[str] = set()
    for i, mount in _items(spec.get("volumeMounts")):
        name, at = mount.get("name"), mount.get("mountPath")
        if isinstance(name, str) and name not in volumes:
            issues.add(BAD_REFERENCE, (*path, "volumeMounts", i, "name"),
                       f"Not found: {show(name)}: no volume of that name in the pod")
        if isinstance(at, str):
            if at in mounts:
                issues.add(DUPLICATE, (*path, "volumeMounts", i, "mountPath"),
                           f"Invalid value: {show(at)}: must be unique")
            mounts.add(at)


def _probes_and_hooks(issues: Issues, path: FieldPath, spec: dict[str, Any],
                      pod: dict[str, Any]) -> None:
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        _handler(issues, (*path, probe), spec.get(probe), _PROBE_HANDLERS)
    lifecycle = spec.get("lifecycle")
    hooks = _LIFECYCLE_HANDLERS if issues.gate("PodLifecycleSleepAction") \
        else _LIFECYCLE_BEFORE_SLEEP
    for hook in ("postStart", "preStop"):
        if isinstance(lifecycle, dict):
            _handler(issues, (*path, "lifecycle", hook), lifecycle.get(hook), hooks)
    versioned.sleep_seconds(issues, (*path, "lifecycle"), lifecycle, pod)


def _volumes(issues: Issues, path: FieldPath, volumes: Any) -> set[str]:
    names: set[str] = set()
    for i, volume in _items(volumes):
        name = volume.get("name")
        if isinstance(name, str):
            issues.invalid(BAD_NAME, (*path, i, "name"), name, formats.dns1123_label(name))
            if name in names:
                issues.add(DUPLICATE, (*path, i, "name"), f"Duplicate value: {show(name)}")
            names.add(name)
        sources = [k for k, v in volume.items() if k not in _NOT_SOURCES and v is not None]
        for extra in sources[1:]:
            issues.add(BAD_REFERENCE, (*path, i, extra),
                       "Forbidden: may not specify more than 1 volume type")
    return names


def validate_pod_spec(issues: Issues, spec: Any, path: FieldPath,
                      restart: tuple[str, ...] = _RESTART, template: bool = False,
                      claims: frozenset[str] = frozenset()) -> None:
    """`restart` narrows restartPolicy (Deployments only run Always, Jobs never do);
    `claims` are a StatefulSet's volumeClaimTemplates, volumes its pods will have."""
    if not isinstance(spec, dict):
        return
    volumes = _volumes(issues, (*path, "volumes"), spec.get("volumes")) | claims
    if "restartPolicy" in spec:
        issues.unsupported((*path, "restartPolicy"), spec["restartPolicy"], restart)
    if "dnsPolicy" in spec:
        issues.unsupported((*path, "dnsPolicy"), spec["dnsPolicy"], _DNS)
    names: set[str] = set()
    for group in _CONTAINER_LISTS:
        for i, container in _items(spec.get(group)):
            where = (*path, group, i)
            name = container.get("name")
            if isinstance(name, str):
                issues.invalid(BAD_NAME, (*where, "name"), name, formats.dns1123_label(name))
                if name in names:
                    issues.add(DUPLICATE, (*where, "name"), f"Duplicate value: {show(name)}")
                names.add(name)
            _container(issues, where, container, volumes, spec, group)
    versioned.dns_config(issues, path, spec)
