"""GG501: images must name a version, not `latest` or nothing."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule


def image_tag(image: str) -> str | None:
    """The tag of an image reference, None when it has none (a digest does not count)."""
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]  # a registry port (host:5000/x) is not a tag
    return last.rsplit(":", 1)[1] if ":" in last else None


@rule(
    id="GG501",
    severity="warning",
    title="Image tag missing or latest",
    why="`latest` (or no tag, which means latest) changes under you: two nodes can run different "
        "code for the same manifest, and a rollback re-pulls the broken image.",
    fix="Reference an immutable version tag (and ideally a digest): `image: app:1.4.2`.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="image: ghcr.io/acme/web:1.4.2",
    doc_url="https://kubernetes.io/docs/concepts/containers/images/#image-names",
    fragments=True,
)
def image_tag_latest(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    for path, container in ctx.containers(resource):
        image = container.get("image")
        if not isinstance(image, str) or not image or "@" in image:
            continue  # a digest pins the image whatever the tag says
        tag = image_tag(image)
        if tag is None or tag == "latest":
            what = "no tag" if tag is None else "the latest tag"
            yield Violation(f'container "{container.get("name", "?")}" uses image {image} '
                            f"with {what}", (*path, "image"))
