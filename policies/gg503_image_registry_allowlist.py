"""GG503: images must come from an allowed registry (option `allowed_registries`)."""
from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule


def normalize(image: str) -> str:
    """`nginx` -> `docker.io/library/nginx`; the tag and digest are dropped."""
    name = image.split("@", 1)[0]
    head, _, rest = name.partition("/")
    if not rest:
        name = f"docker.io/library/{name}"
    elif "." not in head and ":" not in head and head != "localhost":
        name = f"docker.io/{name}"
    last_slash = name.rfind("/")
    colon = name.rfind(":")
    return name[:colon] if colon > last_slash else name


def allowed(image: str, registries: list[str]) -> bool:
    ref = normalize(image)
    for entry in registries:
        entry = entry.rstrip("/")
        if ref == entry or ref.startswith(entry + "/") or fnmatch.fnmatchcase(ref, entry):
            return True
    return False


@rule(
    id="GG503",
    severity="error",
    title="Image from a registry outside the allowlist",
    why="Images from arbitrary registries bypass the organisation's scanning, signing and "
        "mirroring, and a typo-squatted name runs unknown code.",
    fix="Pull from an allowed registry (or its mirror), or add the registry to "
        "`allowed_registries` in .gitops-guard.yaml.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="# .gitops-guard.yaml\nbuiltin:\n  options:\n"
            "    allowed_registries: [ghcr.io/acme, registry.k8s.io]",
    doc_url="https://kubernetes.io/docs/concepts/containers/images/",
    fragments=True,
)
def image_registry(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    registries = ctx.option("allowed_registries", None)
    if not registries:
        return  # inactive until configured
    names = [str(r) for r in registries] if isinstance(registries, list | tuple) else [
        str(registries)]
    for path, container in ctx.containers(resource):
        image = container.get("image")
        if isinstance(image, str) and image and not allowed(image, names):
            yield Violation(f'container "{container.get("name", "?")}" image {image} is not from '
                            "an allowed registry", (*path, "image"))
