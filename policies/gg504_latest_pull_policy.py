"""GG504: a moving tag needs imagePullPolicy Always."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule


def _moving(image: str) -> bool:
    if "@" in image:
        return False
    last = image.rsplit("/", 1)[-1]
    return ":" not in last or last.rsplit(":", 1)[1] == "latest"


@rule(
    id="GG504",
    severity="warning",
    title="Moving image tag without imagePullPolicy Always",
    why="With `latest` (or no tag) and imagePullPolicy IfNotPresent or Never, each node keeps "
        "whichever build it pulled first: replicas silently run different code.",
    fix="Pin a version tag; until then set `imagePullPolicy: Always`.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="image: app:1.4.2\nimagePullPolicy: IfNotPresent",
    doc_url="https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy",
)
def latest_pull_policy(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    for path, container in ctx.containers(resource):
        image = container.get("image")
        policy = container.get("imagePullPolicy")
        # Unset is fine: Kubernetes defaults it to Always for latest/untagged images.
        if isinstance(image, str) and policy in ("IfNotPresent", "Never") and _moving(image):
            yield Violation(f'container "{container.get("name", "?")}" pulls moving image '
                            f"{image} with imagePullPolicy {policy}",
                            (*path, "imagePullPolicy"))
