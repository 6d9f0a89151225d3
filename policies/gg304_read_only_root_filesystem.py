"""GG304: the root filesystem should be read-only."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule


@rule(
    id="GG304",
    severity="warning",
    title="Root filesystem is writable",
    why="A writable root filesystem lets an attacker drop tools and persist changes inside the "
        "container; read-only images also surface undeclared writes during development.",
    fix="Set `securityContext.readOnlyRootFilesystem: true` and mount an emptyDir at the "
        "paths the process writes to (/tmp, caches).",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="securityContext:\n  readOnlyRootFilesystem: true",
    doc_url="https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
)
def read_only_root(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    for path, container in ctx.containers(resource, init=False):
        sc = container.get("securityContext")
        if isinstance(sc, dict) and sc.get("readOnlyRootFilesystem") is True:
            continue
        where: tuple[str, ...] = ()
        if isinstance(sc, dict):
            where = ("securityContext", "readOnlyRootFilesystem") \
                if "readOnlyRootFilesystem" in sc else ("securityContext",)
        yield Violation(
            f'container "{container.get("name", "?")}" has a writable root filesystem',
            (*path, *where))
