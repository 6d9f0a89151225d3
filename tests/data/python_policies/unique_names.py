"""ACME002: a cross-resource rule (scope="all"): no two ConfigMaps share a name."""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from gitops_guard.evaluate.api import RuleContext, Violation, rule
from gitops_guard.model import Document


@rule(id="ACME002", severity="warning", title="ConfigMap name reused",
      why="The second one overwrites the first.", fix="Rename one.", scope="all")
def unique_names(documents: Sequence[Document], ctx: RuleContext) -> Iterator[Violation]:
    seen: dict[str, Document] = {}
    for doc in documents:
        if not doc.is_kubernetes or doc.data["kind"] != "ConfigMap":
            continue
        name = str(doc.data.get("metadata", {}).get("name", ""))
        if name in seen:
            yield Violation(f"ConfigMap {name} also defined in {seen[name].path}",
                            ("metadata", "name"), document=doc)
        else:
            seen[name] = doc
