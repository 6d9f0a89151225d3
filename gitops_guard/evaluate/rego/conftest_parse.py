"""conftest's parse_config / parse_config_file builtins: text or a file -> the document
conftest's parser would give, through gitops-guard's own loaders."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from gitops_guard.load import LOADERS
from gitops_guard.load.base import LoadLimits

# conftest parser names -> gitops-guard loader, and the file name the loader expects
PARSERS: dict[str, tuple[str, str]] = {
    "yaml": ("yaml", "input.yaml"),
    "yml": ("yaml", "input.yaml"),
    "json": ("json", "input.json"),
    "hcl2": ("hcl", "input.tf"),
    "tf": ("hcl", "input.tf"),
    "hcl": ("hcl", "input.tf"),
}
_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".tf": "hcl2",
             ".tfvars": "hcl2", ".hcl": "hcl2"}


def parse_content(parser: str, content: str) -> Any:
    if parser not in PARSERS:
        raise ValueError(f"parse_config: parser {parser!r} is not supported "
                         f"(supported: {', '.join(sorted(PARSERS))})")
    loader, name = PARSERS[parser]
    result = LOADERS[loader](content.encode(), name, LoadLimits())
    if result.findings and not result.documents:
        raise ValueError(f"parse_config: {result.findings[0].message}")
    docs = [d.data for d in result.documents]
    return docs[0] if len(docs) == 1 else docs if docs else None


def parse_file(path: Path) -> Any:
    parser = _SUFFIXES.get(path.suffix.lower())
    if parser is None:
        raise ValueError(f"parse_config_file: no parser for {path.name}")
    return parse_content(parser, path.read_text(encoding="utf-8"))
