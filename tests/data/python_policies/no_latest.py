"""ACME001: images must not use the :latest tag (a test policy for the Python runner)."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation, rule


@rule(id="ACME001", severity="error", title="No latest tag",
      why="A moving tag deploys whatever was pushed last.", fix="Pin a version.",
      kinds=("Deployment", "Pod"), doc_url="https://example.com/acme001")
def no_latest(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    for path, container in ctx.containers(resource):
        image = str(container.get("image", ""))
        if image.endswith(":latest"):
            yield Violation(f"image {image} uses the latest tag", (*path, "image"))
