"""A plain directory: its YAML and JSON files as they are, each at its own file and line."""
from __future__ import annotations

import os
from pathlib import Path

from gitops_guard.load import format_for, load_bytes
from gitops_guard.model import Finding
from gitops_guard.render.sources import Rendered


def plain_files(target: str, root: Path, recursive: bool = True) -> list[str]:
    folder = root / target
    if folder.is_file():
        return [target]
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")) if recursive else []
        for name in sorted(filenames):
            if not name.startswith(".") and format_for(name) in ("yaml", "json"):
                out.append(Path(dirpath, name).relative_to(root).as_posix())
    return out


def load_plain(target: str, root: Path, recursive: bool = True
               ) -> tuple[list[Rendered], list[Finding]]:
    items: list[Rendered] = []
    findings: list[Finding] = []
    for path in plain_files(target, root, recursive):
        try:
            data = (root / path).read_bytes()
        except OSError:
            continue
        result = load_bytes(data, path)
        findings.extend(result.findings)
        items.extend(Rendered(d.data, path, d.index, d.line) for d in result.documents
                     if d.data is not None)
    return items, findings
