"""GG318: custom SELinux users, roles or privileged types."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule

# The Pod Security Standards' baseline allows only these types (and an empty one).
ALLOWED_TYPES = frozenset({"", "container_t", "container_init_t", "container_kvm_t",
                           "container_engine_t"})


def _problems(sc: Any) -> Iterator[tuple[str, str]]:
    options = sc.get("seLinuxOptions") if isinstance(sc, dict) else None
    if not isinstance(options, dict):
        return
    kind = options.get("type")
    if kind is not None and str(kind) not in ALLOWED_TYPES:
        yield "type", f"SELinux type {kind}"
    for key in ("user", "role"):
        if options.get(key):
            yield key, f"custom SELinux {key} {options[key]}"


@rule(
    id="GG318",
    severity="error",
    title="Unsafe SELinux options",
    why="A custom SELinux user or role, or a type such as spc_t or unconfined_t, switches off "
        "the label confinement that keeps a container from touching host files.",
    fix="Remove `seLinuxOptions.user`/`role`; use one of the container_* types, or none.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="securityContext:\n  seLinuxOptions:\n    level: \"s0:c123,c456\"",
    doc_url="https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
    fragments=True,
)
def selinux_options(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    found = ctx.pod_spec(resource)
    if found is None:
        return
    places = [(found[0], found[1], "pod")]
    places += [(p, c, f'container "{c.get("name", "?")}"') for p, c in ctx.containers(resource)]
    for path, node, who in places:
        for key, what in _problems(node.get("securityContext")):
            yield Violation(f"{who} sets {what}",
                            (*path, "securityContext", "seLinuxOptions", key))
