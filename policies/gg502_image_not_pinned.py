"""GG502: images pinned by digest cannot change behind a tag."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule


@rule(
    id="GG502",
    severity="info",
    title="Image not pinned by digest",
    why="Tags are mutable: a registry push (or a compromised registry) can swap the code behind "
        "`app:1.4.2` without any change in Git. A digest names exact bytes.",
    fix="Append the digest: `image: app:1.4.2@sha256:...` (Renovate and Dependabot keep it "
        "updated).",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="image: ghcr.io/acme/web:1.4.2@sha256:4c1e...",
    doc_url="https://kubernetes.io/docs/concepts/containers/images/#image-names",
)
def image_not_pinned(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    for path, container in ctx.containers(resource):
        image = container.get("image")
        if isinstance(image, str) and image and "@sha256:" not in image:
            yield Violation(f'container "{container.get("name", "?")}" image {image} is not '
                            "pinned by digest", (*path, "image"))
