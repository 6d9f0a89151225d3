"""Risk labels: changes that destroy data, fail on apply, or widen what runs or who can act.

Level 2 (will break or destroy): deleting stateful or cluster-shaping objects,
changing immutable fields. Level 1 (look twice): scale to zero, RBAC widened,
image moved to `latest`, resource limits removed.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from gitops_guard.plan.model import ADDED, REMOVED, FieldChange, Identity, Risk

DESTRUCTIVE_DELETES = {
    ("", "Namespace"): "deletes every object in the namespace",
    ("", "PersistentVolumeClaim"): "the volume's data may be deleted with it",
    ("", "PersistentVolume"): "the volume's data may be deleted with it",
    ("apiextensions.k8s.io", "CustomResourceDefinition"): "deletes every custom resource of it",
    ("apps", "StatefulSet"): "stops every replica of a stateful workload",
}

# (group, kind) -> field-path prefixes the API server refuses to change.
IMMUTABLE: dict[tuple[str, str], tuple[str, ...]] = {
    ("apps", "Deployment"): ("spec.selector",),
    ("apps", "DaemonSet"): ("spec.selector",),
    ("apps", "StatefulSet"): ("spec.selector", "spec.volumeClaimTemplates", "spec.serviceName",
                              "spec.podManagementPolicy"),
    ("", "Service"): ("spec.clusterIP",),
    ("batch", "Job"): ("spec.template", "spec.selector"),
    ("", "PersistentVolumeClaim"): ("spec.storageClassName",),
}

WORKLOAD_POD_PATHS = {
    "Pod": ("spec",), "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"), "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"), "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}

RBAC_KINDS = {("rbac.authorization.k8s.io", "Role"), ("rbac.authorization.k8s.io", "ClusterRole")}


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith((prefix + ".", prefix + "["))


def _get(obj: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def containers(obj: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Containers and init containers of a workload, by name."""
    if not obj:
        return {}
    pod = _get(obj, WORKLOAD_POD_PATHS.get(str(obj.get("kind")), ("__none__",)))
    found: dict[str, dict[str, Any]] = {}
    if isinstance(pod, dict):
        for section in ("initContainers", "containers"):
            items = pod.get(section)
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict):
                    found[str(item.get("name", ""))] = item
    return found


def is_latest(image: Any) -> bool:
    if not isinstance(image, str) or "@" in image:
        return False
    last = image.rsplit("/", 1)[-1]
    return ":" not in last or last.endswith(":latest")


def _permissions(obj: dict[str, Any] | None) -> Iterator[tuple[str, str, str, str]]:
    rules = (obj or {}).get("rules")
    for rule in rules if isinstance(rules, list) else []:
        if not isinstance(rule, dict):
            continue
        groups = rule.get("apiGroups") or [""]
        resources = rule.get("resources") or [""]
        if rule.get("nonResourceURLs"):
            groups, resources = ["<url>"], rule["nonResourceURLs"]
        names = rule.get("resourceNames") or ["*"]
        for g in groups:
            for r in resources:
                for v in rule.get("verbs") or []:
                    for n in names:
                        yield (str(g), str(r), str(v), str(n))


def _covered(perm: tuple[str, ...], by: set[tuple[str, str, str, str]]) -> bool:
    return any(all(h in ("*", p) for p, h in zip(perm, have, strict=True)) for have in by)


def rbac_widened(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    old = set(_permissions(before))
    return sorted({f"{v} {r}" + (f" ({g})" if g else "")
                   for g, r, v, _ in _permissions(after) if not _covered((g, r, v, _), old)})


RiskCheck = Callable[[Identity, str, dict[str, Any] | None, dict[str, Any] | None,
                      tuple[FieldChange, ...]], list[Risk]]


def _deletion(ident: Identity, action: str, before: Any, after: Any,
              fields: tuple[FieldChange, ...]) -> list[Risk]:
    why = DESTRUCTIVE_DELETES.get((ident.group, ident.kind))
    if action == REMOVED and why:
        return [Risk("destructive-delete", f"deletes {ident.kind} {ident.name}: {why}", 2)]
    return []


def _immutable(ident: Identity, action: str, before: Any, after: Any,
               fields: tuple[FieldChange, ...]) -> list[Risk]:
    prefixes = IMMUTABLE.get((ident.group, ident.kind), ())
    hit = sorted({p for f in fields for p in prefixes if _under(f.path, p)})
    return [Risk("immutable-field", f"{p} is immutable: apply will fail "
                 "(the object must be deleted and recreated)", 2) for p in hit]


def _scale_to_zero(ident: Identity, action: str, before: Any, after: Any,
                   fields: tuple[FieldChange, ...]) -> list[Risk]:
    for f in fields:
        if f.path == "spec.replicas" and f.after == 0 and f.before != 0:
            return [Risk("scale-to-zero", f"replicas {f.before} → 0: no pods will run")]
    return []


def _rbac(ident: Identity, action: str, before: Any, after: Any,
          fields: tuple[FieldChange, ...]) -> list[Risk]:
    if (ident.group, ident.kind) not in RBAC_KINDS or action in (ADDED, REMOVED):
        return []
    wider = rbac_widened(before, after)
    if not wider:
        return []
    shown = ", ".join(wider[:5]) + (f" and {len(wider) - 5} more" if len(wider) > 5 else "")
    return [Risk("rbac-widened", f"RBAC rules widened: {shown}")]


def _images(ident: Identity, action: str, before: Any, after: Any,
            fields: tuple[FieldChange, ...]) -> list[Risk]:
    risks = []
    old = containers(before)
    for name, container in containers(after).items():
        image = container.get("image")
        if is_latest(image) and not is_latest(old.get(name, {}).get("image")) and \
                action != ADDED:
            risks.append(Risk("image-latest", f"container {name} image moved to {image!r} "
                              "(latest: not reproducible)"))
        was = old.get(name, {}).get("resources")
        limits_before = was.get("limits") if isinstance(was, dict) else None
        now = container.get("resources")
        limits_after = now.get("limits") if isinstance(now, dict) else None
        if isinstance(limits_before, dict) and limits_before:
            gone = sorted(set(limits_before) - set(limits_after or {}))
            if gone:
                risks.append(Risk("limits-removed",
                                  f"container {name} resource limits removed: {', '.join(gone)}"))
    return risks


RISK_CHECKS: dict[str, RiskCheck] = {
    "destructive-delete": _deletion,
    "immutable-field": _immutable,
    "scale-to-zero": _scale_to_zero,
    "rbac-widened": _rbac,
    "containers": _images,
}


def assess(ident: Identity, action: str, before: dict[str, Any] | None,
           after: dict[str, Any] | None, fields: tuple[FieldChange, ...]) -> tuple[Risk, ...]:
    risks: list[Risk] = []
    for check in RISK_CHECKS.values():
        risks.extend(check(ident, action, before, after, fields))
    return tuple(sorted(risks, key=lambda r: (-r.level, r.code, r.message)))
