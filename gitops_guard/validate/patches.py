"""Kustomize build config and patch files: validated differently from full resources.

A Kustomization is build input, never applied, so it has no schema to meet. A
strategic-merge patch is a partial resource: its types and field names must be
right, but required fields live in the resource it patches.
"""
from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence
from typing import Any

from gitops_guard.model import Document

BUILD_CONFIG_GROUPS = frozenset({"kustomize.config.k8s.io"})


def is_build_config(doc: Document) -> bool:
    key = doc.resource
    return key is not None and key.group in BUILD_CONFIG_GROUPS


def _patch_refs(kustomization: dict[str, Any]) -> Iterable[str]:
    for entry in kustomization.get("patchesStrategicMerge") or ():
        if isinstance(entry, str) and "\n" not in entry:
            yield entry
    for key in ("patches", "patchesJson6902"):
        for entry in kustomization.get(key) or ():
            if isinstance(entry, dict) and isinstance(entry.get("path"), str):
                yield entry["path"]


def patch_paths(documents: Sequence[Document]) -> frozenset[str]:
    """Repo-relative paths of files that Kustomizations among `documents` use as patches."""
    found: set[str] = set()
    for doc in documents:
        if not is_build_config(doc) or not isinstance(doc.data, dict):
            continue
        folder = posixpath.dirname(doc.path)
        for ref in _patch_refs(doc.data):
            found.add(posixpath.normpath(posixpath.join(folder, ref)))
    return frozenset(found)
