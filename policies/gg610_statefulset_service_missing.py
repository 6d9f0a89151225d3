"""GG610: a StatefulSet's serviceName should name a (headless) Service."""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from gitops_guard.evaluate.api import RuleContext, Violation, rule
from gitops_guard.model import Document


@rule(
    id="GG610",
    severity="warning",
    title="StatefulSet governing Service missing",
    why="A StatefulSet's pods get their stable DNS names (db-0.db) from the Service named in "
        "`serviceName`; without it peers cannot find each other.",
    fix="Add a headless Service (`clusterIP: None`) with that name, or fix `serviceName`.",
    kinds=("StatefulSet",),
    scope="all",
    example="kind: Service\nmetadata: {name: db}\nspec:\n  clusterIP: None\n"
            "  selector: {app: db}",
    doc_url="https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/"
            "#stable-network-id",
)
def statefulset_service(documents: Sequence[Document], ctx: RuleContext) -> Iterator[Violation]:
    services: set[tuple[str, str]] = set()
    namespaces: set[str] = set()
    sets: list[Document] = []
    for doc in documents:
        key = doc.resource
        if key is not None and key.kind == "Service":
            services.add((key.namespace, key.name))
            namespaces.add(key.namespace)
        elif key is not None and key.kind == "StatefulSet":
            sets.append(doc)
    for doc in sets:
        key = doc.resource
        spec = doc.data.get("spec")
        name = spec.get("serviceName") if isinstance(spec, dict) else None
        # Judge only namespaces whose Services are in the input.
        if key is None or not name or key.namespace not in namespaces:
            continue
        if (key.namespace, str(name)) not in services:
            yield Violation(f'StatefulSet "{key.name}" names Service "{name}", which is not in '
                            "the input", ("spec", "serviceName"), document=doc)
