"""GG319: Windows HostProcess containers are host administrators."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule


def _host_process(node: Mapping[str, Any]) -> bool:
    sc = node.get("securityContext")
    win = sc.get("windowsOptions") if isinstance(sc, dict) else None
    return isinstance(win, dict) and win.get("hostProcess") is True


@rule(
    id="GG319",
    severity="error",
    title="Windows HostProcess container",
    why="A HostProcess container runs directly on the Windows node with the host's network "
        "and filesystem, the Windows equivalent of a privileged container.",
    fix="Remove `windowsOptions.hostProcess: true`; keep node agents in a dedicated namespace "
        "with a reasoned suppression.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="securityContext:\n  windowsOptions:\n    hostProcess: false",
    doc_url="https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/",
    fragments=True,
)
def windows_host_process(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    found = ctx.pod_spec(resource)
    if found is None:
        return
    if _host_process(found[1]):
        yield Violation("pod runs as a Windows HostProcess",
                        (*found[0], "securityContext", "windowsOptions", "hostProcess"))
    for path, container in ctx.containers(resource):
        if _host_process(container):
            yield Violation(f'container "{container.get("name", "?")}" runs as a Windows '
                            "HostProcess", (*path, "securityContext", "windowsOptions",
                                            "hostProcess"))
