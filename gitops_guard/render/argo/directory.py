"""A `directory` source as the repo-server reads it (findManifests).

Files named `*.yaml`, `*.yml`, `*.json` or `*.jsonnet` in the source dir (every
subdirectory too with `recurse: true`), filtered by `exclude` then `include` (gobwas
globs on the path relative to the source dir, where `*` also matches `/`), minus files
holding the `+argocd:skip-file-rendering` marker. A `kind: List` contributes its
items. Jsonnet files are evaluated by the repo-server's jsonnet VM, which is not
reproduced here: they are returned apart so the caller reports them (GG104).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gitops_guard.load import load_bytes
from gitops_guard.model import Finding
from gitops_guard.render.argo.globs import gobwas_match
from gitops_guard.render.sources import Rendered

MANIFEST_FILE = re.compile(r"^.*\.(yaml|yml|json|jsonnet)$")
SKIP_MARKER = b"+argocd:skip-file-rendering"


@dataclass
class DirectoryRender:
    items: list[Rendered] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    jsonnet: list[str] = field(default_factory=list)  # repo paths, not evaluated


def manifest_files(folder: Path, recurse: bool, include: str, exclude: str) -> list[Path]:
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if d != ".git") if recurse else []
        for name in sorted(filenames):
            if not MANIFEST_FILE.match(name):
                continue
            path = here / name
            rel = path.relative_to(folder).as_posix()
            if exclude and gobwas_match(exclude, rel):
                continue
            if include and not gobwas_match(include, rel):
                continue
            out.append(path)
    return out


def _items(data: Any, path: str, index: int, line: int) -> list[Rendered]:
    if isinstance(data, dict) and str(data.get("kind", "")).endswith("List") and isinstance(
            data.get("items"), list):
        return [Rendered(i, path, None, line) for i in data["items"] if isinstance(i, dict)]
    return [Rendered(data, path, index, line)]


def render_directory(path: str, root: Path, directory: dict[str, Any]) -> DirectoryRender:
    """The manifests of repo dir `path` under the source's `directory` options."""
    out = DirectoryRender()
    folder = root / path
    files = manifest_files(folder, bool(directory.get("recurse")),
                           str(directory.get("include") or ""),
                           str(directory.get("exclude") or ""))
    for file in files:
        rel = file.relative_to(root).as_posix()
        try:
            data = file.read_bytes()
        except OSError:
            continue
        if SKIP_MARKER in data:
            continue
        if file.suffix == ".jsonnet":
            out.jsonnet.append(rel)
            continue
        result = load_bytes(data, rel)
        out.findings.extend(result.findings)
        for doc in result.documents:
            if doc.data is not None:
                out.items.extend(_items(doc.data, rel, doc.index, doc.line))
    return out
