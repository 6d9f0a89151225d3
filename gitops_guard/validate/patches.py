"""Kustomize build config and patch files: validated differently from full resources.

A Kustomization is build input, never applied, so it has no schema to meet. A
strategic-merge patch is a partial resource: its types and field names must be
right, but required fields live in the resource it patches.

A file named as a patch (`*-patch.yaml`, `patch-*.yaml`, `*.patch.yaml`) that no
kustomization lists as a resource is a patch too: kept for `kubectl patch --patch-file`
or a kustomization elsewhere, it is not applied as it is.
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from gitops_guard.load import load_bytes
from gitops_guard.load.datafiles import KUSTOMIZATION_FILES, is_build_config_api
from gitops_guard.model import Document

# strategic-merge patch directives: valid anywhere in a patch, never fields of the resource
_DIRECTIVE_KEYS = ("$patch", "$retainKeys")
_DIRECTIVE_PREFIXES = ("$setElementOrder/", "$deleteFromPrimitiveList/")


def without_directives(data: Any) -> Any:
    """A strategic-merge patch's data without its `$patch`, `$retainKeys`,
    `$setElementOrder/...` and `$deleteFromPrimitiveList/...` keys (list indexes kept,
    so a finding's field path still locates in the file)."""
    if isinstance(data, dict):
        return {k: without_directives(v) for k, v in data.items()
                if not (isinstance(k, str) and (k in _DIRECTIVE_KEYS
                                                or k.startswith(_DIRECTIVE_PREFIXES)))}
    if isinstance(data, list):
        return [without_directives(v) for v in data]
    return data


def is_build_config(doc: Document) -> bool:
    key = doc.resource
    return key is not None and is_build_config_api(key.api_version)


def _patch_refs(kustomization: dict[str, Any]) -> Iterable[str]:
    for entry in kustomization.get("patchesStrategicMerge") or ():
        if isinstance(entry, str) and "\n" not in entry:
            yield entry
    for key in ("patches", "patchesJson6902"):
        for entry in kustomization.get(key) or ():
            if isinstance(entry, dict) and isinstance(entry.get("path"), str):
                yield entry["path"]
            elif isinstance(entry, str) and "\n" not in entry:  # `patches: [file.yaml]`
                yield entry


_PATCH_NAME = re.compile(r"(^|[-_.])patch(es)?([-_.]|$)", re.IGNORECASE)
_RESOURCE_LISTS = ("resources", "bases", "components", "crds")


def _resource_refs(kustomization: dict[str, Any]) -> Iterable[str]:
    for key in _RESOURCE_LISTS:
        for entry in kustomization.get(key) or ():
            if isinstance(entry, str):
                yield entry


def _nearby_kustomizations(folders: set[str], root: Path) -> Iterable[tuple[str, Any]]:
    """Kustomization files in the documents' folders and the two levels above them, read
    from disk: a changed patch checked alone still knows it is a patch."""
    seen: set[str] = set()
    for folder in folders:
        for _ in range(3):
            if folder not in seen:
                seen.add(folder)
                for name in KUSTOMIZATION_FILES:
                    candidate = root / folder / name
                    if candidate.is_file():
                        result = load_bytes(candidate.read_bytes(), f"{folder}/{name}")
                        for doc in result.documents:
                            yield folder, doc.data
            if folder in ("", ".") or folder.startswith(("/", "..")):
                break
            folder = posixpath.dirname(folder)


def patch_paths(documents: Sequence[Document], root: Path | None = None) -> frozenset[str]:
    """Repo-relative paths of files that Kustomizations use as patches: those among
    `documents`, and (with `root`) those next to or above the documents' files."""
    pairs: list[tuple[str, Any]] = []
    resources: set[str] = set()  # files holding resources (not build config)
    named: dict[str, bool] = {}  # path -> a kustomization file by its name
    build_apis: dict[str, bool] = {}  # apiVersion -> build config
    for doc in documents:  # once per document, the rest once per file or apiVersion
        path, key = doc.path, doc.resource
        build = key is not None and build_apis.setdefault(
            key.api_version, is_build_config_api(key.api_version))
        kustomization = named.get(path)
        if kustomization is None:
            kustomization = named[path] = posixpath.basename(path) in KUSTOMIZATION_FILES
        if isinstance(doc.data, dict) and (build or kustomization):
            pairs.append((posixpath.dirname(path), doc.data))
        if key is not None and not build:
            resources.add(path)
    if root is not None:
        folders = {posixpath.dirname(p) for p in resources if not p.startswith("/")}
        pairs.extend(_nearby_kustomizations(folders, root))
    found: set[str] = set()
    listed: set[str] = set()  # files a kustomization lists as resources
    for folder, data in pairs:
        if isinstance(data, dict):
            for ref in _patch_refs(data):
                found.add(posixpath.normpath(posixpath.join(folder, ref)))
            listed.update(posixpath.normpath(posixpath.join(folder, ref))
                          for ref in _resource_refs(data))
    found.update(d.path for d in documents if d.source_format != "rendered"
                 and _PATCH_NAME.search(posixpath.splitext(posixpath.basename(d.path))[0])
                 and d.path not in listed)
    return frozenset(found)
