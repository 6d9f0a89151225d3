"""GG606: the same object defined twice in one input set."""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from gitops_guard.evaluate.api import RuleContext, Violation, rule
from gitops_guard.model import Document
from gitops_guard.names import PLACEHOLDER_NAME  # two placeholders are not one object


@rule(
    id="GG606",
    severity="error",
    title="Duplicate resource",
    why="Two manifests for the same group, kind, namespace and name in what is applied "
        "together (one environment, kustomization or directory) fight each other: the last "
        "one applied wins, Kustomize and Argo CD refuse the set, and reviews read the wrong "
        "copy. The same object in two clusters' directories is not a duplicate, nor is one "
        "manifest that two Applications deploy (an ApplicationSet sends its apps to as "
        "many clusters).",
    fix="Delete one copy, or give them different names or namespaces.",
    scope="all",
    example="# two files both defining Deployment shop/web",
    doc_url="https://kubernetes.io/docs/concepts/overview/working-with-objects/names/",
)
def duplicate_resource(documents: Sequence[Document], ctx: RuleContext) -> Iterator[Violation]:
    seen: dict[tuple[str, str, str, str, str | None], Document] = {}
    for doc in documents:
        key = doc.resource
        meta = doc.data.get("metadata") if key is not None else None
        if key is None or not isinstance(meta, dict) or not meta.get("name"):
            continue  # generateName objects are unique by construction
        if PLACEHOLDER_NAME.search(key.name) or PLACEHOLDER_NAME.search(key.namespace):
            continue
        # apps/v1 and apps/v1beta2 are the same object: compare the group, not the version.
        ident = (key.group, key.kind, key.namespace, key.name, doc.env)
        first = seen.setdefault(ident, doc)
        if first is not doc and not _rendered_twice(first, doc):
            where = f"{first.path}:{first.line}"
            yield Violation(f"{key} is already defined at {where}", ("metadata", "name"),
                            document=doc)


def _rendered_twice(first: Document, doc: Document) -> bool:
    """One file rendered twice in an environment: two Applications (or an ApplicationSet's
    generated ones, one per cluster) deploying the same source, not two definitions."""
    return (first.path == doc.path and first.source_format == doc.source_format == "rendered")
