"""GG316: AppArmor must not be switched off."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule

ANNOTATION = "container.apparmor.security.beta.kubernetes.io/"


def _unconfined(node: Mapping[str, Any]) -> bool:
    sc = node.get("securityContext")
    profile = sc.get("appArmorProfile") if isinstance(sc, dict) else None
    return isinstance(profile, dict) and profile.get("type") == "Unconfined"


@rule(
    id="GG316",
    severity="warning",
    title="AppArmor unconfined",
    why="The runtime's default AppArmor profile blocks mounts, raw kernel interfaces and "
        "writes to /proc and /sys; Unconfined removes that layer.",
    fix="Remove the Unconfined setting (the default is RuntimeDefault), or use a Localhost "
        "profile written for the workload.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="securityContext:\n  appArmorProfile:\n    type: RuntimeDefault",
    doc_url="https://kubernetes.io/docs/tutorials/security/apparmor/",
    fragments=True,
)
def apparmor_unconfined(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    found = ctx.pod_spec(resource)
    if found is None:
        return
    spec_path, spec = found
    if _unconfined(spec):
        yield Violation("pod sets appArmorProfile Unconfined",
                        (*spec_path, "securityContext", "appArmorProfile", "type"))
    for path, container in ctx.containers(resource):
        if _unconfined(container):
            yield Violation(f'container "{container.get("name", "?")}" sets appArmorProfile '
                            "Unconfined", (*path, "securityContext", "appArmorProfile", "type"))
    # The pre-1.30 annotations on the pod (template) metadata still work and are common.
    meta_path = (*spec_path[:-1], "metadata")
    meta: Any = resource
    for key in meta_path:
        meta = meta.get(key) if isinstance(meta, dict) else None
    notes = meta.get("annotations") if isinstance(meta, dict) else None
    if isinstance(notes, dict):
        for key, value in notes.items():
            if str(key).startswith(ANNOTATION) and value == "unconfined":
                yield Violation(f'container "{str(key)[len(ANNOTATION):]}" is AppArmor '
                                "unconfined (annotation)", (*meta_path, "annotations", key))
