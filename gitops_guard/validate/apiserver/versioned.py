"""Pod rules whose outcome depends on the target Kubernetes version (`--kubernetes-version`,
config `kubernetes_version`): a feature gate turned on by default in some release changes
what the API server accepts on create. Each rule names its gate; versions are those of
kubernetes pkg/features/kube_features.go (the release a gate became on by default), and
the config's `apiserver.feature_gates` overrides them as the cluster sets them (gates.py).

- SidecarContainers (on from 1.29): an init container's `restartPolicy` must be `Always`
  (pkg/apis/core/validation `validateInitContainers`, `validateInitContainerRestartPolicy`);
  a regular container may not set one (`validateContainers`). Before 1.29 the field is
  dropped on create (pkg/api/pod `dropDisabledFields`): the container becomes an ordinary
  init container that must exit before the pod starts (a warning), and its probes and
  lifecycle are then forbidden ("may not be set for init containers without
  restartPolicy=Always"), as they are for any init container that does not restart.
  ContainerRestartRules (on from 1.35) lets regular containers set one: not judged there.
- PodLifecycleSleepAction (on from 1.30): a `sleep` lifecycle handler; before, it is
  dropped, and a hook with only `sleep` has no handler (pods.py). Its `seconds` must be
  at most `terminationGracePeriodSeconds` (30 by default) and more than 0, or at least 0
  from 1.33 (PodLifecycleSleepActionAllowZero; `validateSleepAction`).
- RelaxedDNSSearchValidation (on from 1.33): `dnsConfig.searches` may hold `_` and a lone
  `.`; before, each is a DNS-1123 subdomain (trailing dot ignored). With the limits of
  `validatePodDNSConfig`: at most 3 nameservers, each an IP; at most 32 search paths and
  2048 characters; option names set; `dnsPolicy: None` needs `dnsConfig.nameservers`.
- HPAScaleToZero is alpha and off in every release: HPA `minReplicas: 0` with an Object
  or External metric is a warning (kinds.py) unless the config turns the gate on.
"""
from __future__ import annotations

from typing import Any

from gitops_guard.model import FieldPath, Severity
from gitops_guard.validate.apiserver import formats
from gitops_guard.validate.apiserver.cel.values import parse_ip
from gitops_guard.validate.apiserver.report import BAD_REFERENCE, BAD_VALUE, Issues, show

NOT_FOR_INIT = "Forbidden: may not be set for init containers without restartPolicy=Always"
_INIT_ONLY_FIELDS = ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe")
_RESTART_POLICIES = ("Always", "OnFailure", "Never")
_DEFAULT_GRACE = 30


def restartable(issues: Issues, container: dict[str, Any]) -> bool:
    """An init container that runs as a sidecar in the target version."""
    return issues.gate("SidecarContainers") and container.get("restartPolicy") == "Always"


def init_container(issues: Issues, path: FieldPath, container: dict[str, Any]) -> bool:
    """An init container's restartPolicy and the fields only a sidecar may have; True
    when it is a sidecar (its probes and lifecycle are then validated as usual)."""
    policy = container.get("restartPolicy")
    where = (*path, "restartPolicy")
    if policy is not None and not issues.gate("SidecarContainers"):
        issues.add(BAD_VALUE, where, f"dropped on create before Kubernetes 1.29 (target "
                   f"{_shown(issues)}; SidecarContainers): this init container must exit "
                   "before the pod's containers start", Severity.WARNING)
    elif policy is not None:
        issues.unsupported(where, policy, _RESTART_POLICIES
                           if issues.gate("ContainerRestartRules")
                           else ("Always",))
    if restartable(issues, container):
        return True
    for name in _INIT_ONLY_FIELDS:
        if container.get(name) is not None:
            issues.add(BAD_REFERENCE, (*path, name), NOT_FOR_INIT)
    return False


def container_restart(issues: Issues, path: FieldPath, container: dict[str, Any]) -> None:
    """A regular container's restartPolicy: forbidden from 1.28 (the field's first
    release) until ContainerRestartRules (1.35)."""
    if container.get("restartPolicy") is not None and issues.since(1, 28) \
            and not issues.gate("ContainerRestartRules"):
        issues.add(BAD_VALUE, (*path, "restartPolicy"),
                   "Forbidden: may not be set for non-init containers")


def sleep_seconds(issues: Issues, path: FieldPath, lifecycle: Any, spec: dict[str, Any]
                  ) -> None:
    if not isinstance(lifecycle, dict) or not issues.gate("PodLifecycleSleepAction"):
        return
    grace = spec.get("terminationGracePeriodSeconds", _DEFAULT_GRACE)
    zero_ok = issues.gate("PodLifecycleSleepActionAllowZero")
    for hook in ("postStart", "preStop"):
        handler = lifecycle.get(hook)
        sleep = handler.get("sleep") if isinstance(handler, dict) else None
        seconds = sleep.get("seconds") if isinstance(sleep, dict) else None
        if not isinstance(seconds, int) or isinstance(seconds, bool):
            continue
        too_long = isinstance(grace, int) and seconds > grace
        if seconds < (0 if zero_ok else 1) or too_long:
            bound = "non-negative" if zero_ok else "greater than 0"
            issues.add(BAD_VALUE, (*path, hook, "sleep", "seconds"),
                       f"Invalid value: {seconds}: must be {bound} and less than "
                       f"terminationGracePeriodSeconds ({grace})"
                       + ("" if zero_ok or seconds else
                          f" (0 is allowed from Kubernetes 1.33; target {_shown(issues)})"))


def dns_config(issues: Issues, path: FieldPath, spec: dict[str, Any]) -> None:
    config, policy = spec.get("dnsConfig"), spec.get("dnsPolicy")
    where = (*path, "dnsConfig")
    if policy == "None":
        if not isinstance(config, dict):
            issues.add(BAD_VALUE, where, "Required value: must provide `dnsConfig` when "
                       "`dnsPolicy` is None", at=(*path, "dnsPolicy"))
            return
        if not config.get("nameservers"):
            issues.add(BAD_VALUE, (*where, "nameservers"), "Required value: must provide at "
                       "least one DNS nameserver when `dnsPolicy` is None", at=where)
            return
    if not isinstance(config, dict):
        return
    _nameservers(issues, (*where, "nameservers"), config.get("nameservers"))
    _searches(issues, (*where, "searches"), config.get("searches"))
    for i, option in enumerate(config.get("options") or ()):
        if isinstance(option, dict) and not option.get("name"):
            issues.add(BAD_VALUE, (*where, "options", i), "Required value: must not be empty")


def _nameservers(issues: Issues, path: FieldPath, servers: Any) -> None:
    if not isinstance(servers, list):
        return
    if len(servers) > 3:
        issues.add(BAD_VALUE, path, "Invalid value: must not have more than 3 nameservers")
    for i, server in enumerate(servers):
        if isinstance(server, str) and not formats.parses(parse_ip)(server):
            issues.add(BAD_VALUE, (*path, i), f"Invalid value: {show(server)}: must be a "
                       "valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")


def _searches(issues: Issues, path: FieldPath, searches: Any) -> None:
    if not isinstance(searches, list):
        return
    if len(searches) > 32:
        issues.add(BAD_VALUE, path, "Invalid value: must not have more than 32 search paths")
    texts = [s for s in searches if isinstance(s, str)]
    if len(" ".join(texts)) > 2048:
        issues.add(BAD_VALUE, path, "Invalid value: must not have more than 2048 characters "
                   "(including spaces) in the search list")
    relaxed = issues.gate("RelaxedDNSSearchValidation")
    for i, search in enumerate(searches):
        if not isinstance(search, str) or (relaxed and search == "."):
            continue
        name = search.removesuffix(".")
        reasons = (formats.dns1123_subdomain_underscore(name) if relaxed
                   else formats.dns1123_subdomain(name))
        if reasons and not relaxed and (
                search == "." or not formats.dns1123_subdomain_underscore(name)):
            reasons = (*reasons, f"'_' and a lone '.' are allowed from Kubernetes 1.33 "
                       f"(target {_shown(issues)}; RelaxedDNSSearchValidation)")
        issues.invalid(BAD_VALUE, (*path, i), search, reasons)


def _shown(issues: Issues) -> str:
    return "{}.{}".format(*issues.version)
