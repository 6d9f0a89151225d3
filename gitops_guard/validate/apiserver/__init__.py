"""What the API server would reject that a JSON Schema cannot say, checked offline.

Runs after the schema stage, on the same documents: Kubernetes' own validation of
ObjectMeta and of the built-in kinds (kinds.py, meta.py, pods.py, with the string
formats in formats.py). Every error of a resource is reported, each at its field.
Kustomize build config and strategic-merge patches are skipped: a patch is partial.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gitops_guard.model import Document, Finding
from gitops_guard.validate.apiserver.kinds import validate_kind
from gitops_guard.validate.apiserver.report import Issues
from gitops_guard.validate.patches import is_build_config, patch_paths

# Groups without a dot that are Kubernetes' own; any other dotless apiVersion
# (skaffold/v4, kind's config) belongs to a local tool and is never sent to a cluster.
BUILTIN_DOTLESS = frozenset({"", "apps", "batch", "policy", "autoscaling", "extensions"})
_NOT_OBJECTS = frozenset({("", "List"), ("", "Config")})


def is_served(doc: Document) -> bool:
    """A document the API server would be asked to store."""
    key = doc.resource
    if key is None or is_build_config(doc):
        return False
    group = key.group
    return (group in BUILTIN_DOTLESS or "." in group) and (group, key.kind) not in _NOT_OBJECTS


def validate_apiserver(documents: Sequence[Document], root: Path | None = None,
                       ) -> list[Finding]:
    findings: list[Finding] = []
    patches = patch_paths(documents, root)
    for doc in documents:
        if doc.path in patches or not is_served(doc):
            continue
        key = doc.resource
        assert key is not None
        issues = Issues(doc)
        validate_kind(issues, doc.data, key.group, key.kind)
        findings.extend(issues.found)
    return findings
