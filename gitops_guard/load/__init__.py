"""Loaders: bytes -> Documents with positions. One module per format, registered here."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from gitops_guard.load.base import LoadLimits, LoadResult
from gitops_guard.load.hcl import SUFFIXES as HCL_SUFFIXES
from gitops_guard.load.hcl import load_hcl
from gitops_guard.load.json import load_json
from gitops_guard.load.yaml import load_yaml

Loader = Callable[[bytes, str, LoadLimits], LoadResult]

LOADERS: dict[str, Loader] = {
    "yaml": load_yaml,
    "json": load_json,
    "hcl": load_hcl,
}

SUFFIXES: dict[str, str] = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    **dict.fromkeys(HCL_SUFFIXES, "hcl"),
}


def format_for(path: str | PurePath) -> str | None:
    return SUFFIXES.get(PurePath(path).suffix.lower())


def load_bytes(data: bytes, path: str, limits: LoadLimits | None = None) -> LoadResult:
    """Load one file's bytes with the loader its name calls for."""
    fmt = format_for(path)
    if fmt is None:
        return LoadResult()
    return LOADERS[fmt](data, path, limits or LoadLimits())
