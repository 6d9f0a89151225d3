"""GG310: hostPath volumes expose the node's filesystem."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule


@rule(
    id="GG310",
    severity="error",
    title="hostPath volume",
    why="A hostPath volume mounts part of the node's filesystem into the pod; with the "
        "container runtime socket, /etc or /var/lib/kubelet it is a full node takeover.",
    fix="Use a PersistentVolumeClaim, emptyDir, configMap, secret or a CSI volume instead; "
        "node agents that need hostPath belong in a dedicated namespace.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="volumes:\n  - name: cache\n    emptyDir: {}",
    doc_url="https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
    fragments=True,
)
def host_path_volume(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    found = ctx.pod_spec(resource)
    volumes = found[1].get("volumes") if found else None
    if found is None or not isinstance(volumes, list):
        return
    for i, volume in enumerate(volumes):
        if isinstance(volume, dict) and isinstance(volume.get("hostPath"), dict):
            host = volume["hostPath"].get("path", "?")
            yield Violation(f'volume "{volume.get("name", "?")}" mounts host path {host}',
                            (*found[0], "volumes", i, "hostPath"))
