"""GG512: the recommended labels (option `required_labels`)."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule

DEFAULT_REQUIRED = ("app.kubernetes.io/name",)


@rule(
    id="GG512",
    severity="info",
    title="Missing recommended labels",
    why="Dashboards, cost reports, `kubectl get -l` and incident tooling group resources by "
        "the app.kubernetes.io/* labels; unlabelled resources fall out of all of them.",
    fix="Add the labels (Kustomize `labels:` or a Helm helper sets them everywhere); configure "
        "the set with `required_labels`.",
    kinds=(*POD_TEMPLATE_PATHS, "Service", "Ingress", "ConfigMap", "PodDisruptionBudget",
           "HorizontalPodAutoscaler", "ServiceAccount"),
    example="metadata:\n  labels:\n    app.kubernetes.io/name: web\n"
            "    app.kubernetes.io/part-of: shop",
    doc_url="https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/",
)
def recommended_labels(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    required = ctx.option("required_labels", DEFAULT_REQUIRED)
    if isinstance(required, str):
        required = (required,)
    meta = resource.get("metadata")
    if not isinstance(meta, dict):
        return
    labels = meta.get("labels")
    present = labels if isinstance(labels, dict) else {}
    missing = [str(label) for label in required if label not in present]
    if missing:
        yield Violation(f"{resource['kind']} \"{meta.get('name', '?')}\" lacks label(s) "
                        f"{', '.join(missing)}",
                        ("metadata", "labels") if "labels" in meta else ("metadata",))
