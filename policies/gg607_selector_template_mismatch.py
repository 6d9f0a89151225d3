"""GG607: a workload's selector must select its own pod template."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation, rule, selects


@rule(
    id="GG607",
    severity="error",
    title="Selector does not match pod template labels",
    why="The API server rejects a Deployment, StatefulSet, DaemonSet or ReplicaSet whose "
        "selector does not select its own template; an empty selector would adopt every "
        "pod in the namespace.",
    fix="Make `spec.selector.matchLabels` a subset of `spec.template.metadata.labels`; "
        "remember the selector is immutable, so a change means recreating the object.",
    kinds=("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"),
    example="selector:\n  matchLabels: {app: web}\ntemplate:\n  metadata:\n"
            "    labels: {app: web, tier: frontend}",
    doc_url="https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector",
)
def selector_mismatch(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    spec = resource.get("spec")
    if not isinstance(spec, dict):
        return
    selector = spec.get("selector")
    template = spec.get("template")
    meta = template.get("metadata") if isinstance(template, dict) else None
    labels = meta.get("labels") if isinstance(meta, dict) else None
    labels = labels if isinstance(labels, dict) else {}
    if not isinstance(selector, dict) or not (
            selector.get("matchLabels") or selector.get("matchExpressions")):
        yield Violation(f"{resource['kind']} has no selector",
                        ("spec", "selector") if "selector" in spec else ("spec",))
    elif not selects(selector, labels):
        yield Violation(f"{resource['kind']} selector does not match its pod template labels",
                        ("spec", "selector"))
