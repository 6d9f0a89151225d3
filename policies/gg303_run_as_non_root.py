"""GG303: containers must be known to run as a non-root user."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule


def _sc(node: Mapping[str, Any]) -> Mapping[str, Any]:
    sc = node.get("securityContext")
    return sc if isinstance(sc, dict) else {}


def _non_root(sc: Mapping[str, Any]) -> bool | None:
    """True/False when this level decides it, None when it leaves it to the pod level."""
    if sc.get("runAsNonRoot") is True:
        return True
    user = sc.get("runAsUser")
    if isinstance(user, int) and not isinstance(user, bool):
        return user > 0  # an explicit non-zero uid is as good as runAsNonRoot
    if sc.get("runAsNonRoot") is False:
        return False
    return None


@rule(
    id="GG303",
    severity="warning",
    title="Container may run as root",
    why="Without runAsNonRoot (or a non-zero runAsUser) a container runs as whatever user the "
        "image declares, usually root; root in a container is one kernel bug from root on "
        "the node.",
    fix="Set `securityContext.runAsNonRoot: true` on the pod (or each container) and build the "
        "image with a numeric non-root USER.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="spec:\n  securityContext:\n    runAsNonRoot: true",
    doc_url="https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
)
def run_as_non_root(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    found = ctx.pod_spec(resource)
    if found is None:
        return
    pod_level = _non_root(_sc(found[1]))
    for path, container in ctx.containers(resource):
        decided = _non_root(_sc(container))
        if decided is None:
            decided = pod_level
        if not decided:
            yield Violation(
                f'container "{container.get("name", "?")}" may run as root: set '
                "runAsNonRoot: true on the pod or container",
                (*path, "securityContext") if "securityContext" in container else path)
