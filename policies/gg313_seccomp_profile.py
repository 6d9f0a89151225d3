"""GG313: pods should run with the RuntimeDefault (or a Localhost) seccomp profile."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule

GOOD = ("RuntimeDefault", "Localhost")


def _profile(node: Mapping[str, Any]) -> tuple[str | None, bool]:
    """(seccompProfile.type or None, whether securityContext exists)."""
    sc = node.get("securityContext")
    if not isinstance(sc, dict):
        return None, False
    profile = sc.get("seccompProfile")
    kind = profile.get("type") if isinstance(profile, dict) else None
    return (kind if isinstance(kind, str) else None), True


@rule(
    id="GG313",
    severity="warning",
    title="Seccomp profile not set",
    why="Without a seccomp profile a container may call every syscall, including the rarely "
        "used ones behind most kernel container escapes; Kubernetes does not default it.",
    fix="Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="spec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault",
    doc_url="https://kubernetes.io/docs/tutorials/security/seccomp/",
)
def seccomp_profile(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    found = ctx.pod_spec(resource)
    if found is None:
        return
    spec_path, spec = found
    pod_type, pod_has_sc = _profile(spec)
    if pod_type == "Unconfined":
        yield Violation("pod sets seccompProfile Unconfined",
                        (*spec_path, "securityContext", "seccompProfile", "type"))
    for path, container in ctx.containers(resource):
        kind, _ = _profile(container)
        name = container.get("name", "?")
        if kind == "Unconfined":
            yield Violation(f'container "{name}" sets seccompProfile Unconfined',
                            (*path, "securityContext", "seccompProfile", "type"))
        elif kind is None and pod_type not in GOOD:
            where = (*spec_path, "securityContext") if pod_has_sc else path
            yield Violation(f'container "{name}" runs without a seccomp profile '
                            "(set RuntimeDefault on the pod)", where)
