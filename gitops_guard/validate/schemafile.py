"""Reading and compiling JSON Schema files from disk, offline (local `$ref`s only)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import jsonschema_rs

from gitops_guard.load import load_bytes
from gitops_guard.load.base import LoadLimits
from gitops_guard.model import Document, FieldPath, Finding

_LIMITS = LoadLimits(max_file_bytes=64 * 1024 * 1024)


class SchemaFileError(Exception):
    """A schema that does not compile, with the field of the schema that is wrong."""

    def __init__(self, message: str, path: FieldPath = ()) -> None:
        super().__init__(message)
        self.path = path


def read_documents(path: Path, shown: str) -> tuple[list[Document], list[Finding]]:
    """The documents of one YAML/JSON file, with positions; parse problems as findings."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SchemaFileError(f"cannot read {shown}: {exc.strerror}") from None
    result = load_bytes(data, shown, _LIMITS)
    return result.documents, result.findings


def _retriever(allowed: tuple[Path, ...]) -> Callable[[str], Any]:
    """`$ref` to another local file under `allowed`: load it; anything else: refuse.

    Schemas come from the repository under review, so a `$ref` must not reach the
    network (offline) or files outside the repo and the configured schema dirs.
    """

    def retrieve(uri: str) -> Any:
        parsed = urlparse(uri)
        if parsed.scheme != "file":
            raise ValueError(f"gitops-guard validates offline and does not fetch {uri}")
        target = Path(unquote(parsed.path)).resolve()
        if not any(target.is_relative_to(base) for base in allowed):
            raise ValueError(f"{target.name}: $ref outside the repository and schema dirs")
        documents, findings = read_documents(target, target.name)
        if findings or len(documents) != 1:
            raise ValueError(f"{target.name}: not a single JSON/YAML document")
        return documents[0].data

    return retrieve


def compile_local(schema: Any, path: Path, *allowed: Path) -> Any:
    """A validator for a schema read from `path`; relative refs resolve there, and may
    reach files under `allowed` dirs and the schema's own dir."""
    if not isinstance(schema, (dict, bool)):
        raise SchemaFileError("a JSON Schema must be an object or a boolean")
    try:
        return jsonschema_rs.validator_for(
            schema, base_uri=path.resolve().as_uri(),
            retriever=_retriever(tuple(a.resolve() for a in (*allowed, path.parent))))
    except jsonschema_rs.ValidationError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "invalid schema"
        raise SchemaFileError(f"invalid schema: {first}", tuple(exc.instance_path)) from None
