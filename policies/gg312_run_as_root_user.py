"""GG312: runAsUser: 0 asks for root explicitly."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule


@rule(
    id="GG312",
    severity="error",
    title="Runs as UID 0",
    why="runAsUser: 0 runs the process as root on purpose, overriding a "
        "non-root image user; the restricted Pod Security Standard forbids it.",
    fix="Set runAsUser to a non-zero UID (e.g. 10001) and make the image work as that user.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="securityContext:\n  runAsUser: 10001\n  runAsNonRoot: true",
    doc_url="https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
    fragments=True,
)
def run_as_root_user(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    found = ctx.pod_spec(resource)
    if found is None:
        return
    places = [(found[0], found[1], "pod")]
    places += [(path, c, f'container "{c.get("name", "?")}"') for path, c in
               ctx.containers(resource)]
    for path, node, who in places:
        sc = node.get("securityContext")
        if not isinstance(sc, dict):
            continue
        user = sc.get("runAsUser")
        if isinstance(user, int) and not isinstance(user, bool) and user == 0:
            yield Violation(f"{who} sets runAsUser: 0 (root)",
                            (*path, "securityContext", "runAsUser"))
