"""`--data` files: JSON/YAML documents merged into Rego's `data`, as OPA's loader does.

A file named on the command line is merged at the root of `data`; a file found inside
a directory is merged under its folder path relative to that directory (OPA and
conftest place `dir/k8s/data.yaml` at `data.k8s`). Rego files among them are library
modules (conftest's `-d lib.rego`): data_modules() loads them, load_data() skips them.
"""
from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from gitops_guard.errors import UsageError
from gitops_guard.evaluate.rego.source import Module, load_modules

DATA_SUFFIXES = (".json", ".yaml", ".yml")


def load_data(paths: Sequence[str]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for given in paths:
        root = Path(given)
        if root.is_file():
            if not given.endswith(".rego"):
                _merge(merged, _read(root, given), given)
        elif root.is_dir():
            for folder, dirs, files in os.walk(root):
                dirs.sort()
                prefix = Path(folder).relative_to(root).parts
                for name in sorted(files):
                    if name.endswith(DATA_SUFFIXES):
                        shown = (Path(folder) / name).as_posix()
                        value = _read(Path(folder) / name, shown)
                        for key in reversed(prefix):
                            value = {key: value}
                        _merge(merged, value, shown)
        else:
            raise UsageError(f"{given}: data path not found")
    return merged


def data_modules(paths: Sequence[str], loaded: Sequence[Module] = ()) -> list[Module]:
    """The Rego modules among `--data` paths, less those already `loaded` as policies."""
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise UsageError(f"{missing[0]}: data path not found")
    seen = {m.path for m in loaded}
    return [m for m in load_modules(paths) if m.path not in seen] if paths else []


def _read(path: Path, shown: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            return json.loads(text)
        docs = [d for d in yaml.safe_load_all(text) if d is not None]
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        raise UsageError(f"{shown}: cannot load data file: {exc}") from None
    if len(docs) != 1:
        raise UsageError(f"{shown}: a data file must hold exactly one YAML document")
    return docs[0]


def _merge(into: dict[str, Any], value: Any, shown: str, where: str = "data") -> None:
    if not isinstance(value, dict):
        raise UsageError(f"{shown}: data must be a mapping to merge into {where}")
    for key, item in value.items():
        key = _json_key(key)
        if key in into and isinstance(into[key], dict) and isinstance(item, dict):
            _merge(into[key], item, shown, f"{where}.{key}")
        elif key in into and into[key] != item:
            raise UsageError(f"{shown}: {where}.{key} is already set by another data file")
        else:
            into[key] = item


def _json_key(key: Any) -> str:
    """A YAML key as OPA's loader (sigs.k8s.io/yaml) names it: `on:`/`yes:` are booleans
    in YAML 1.1 and become "true", not Python's "True"."""
    return ("true" if key else "false") if isinstance(key, bool) else str(key)

