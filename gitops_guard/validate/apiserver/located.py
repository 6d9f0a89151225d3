"""CRD rules for custom resources whose CRD is not among the inputs but comes from a
`--schema-location` (or the config's `schemas:`): a CRD manifest there, or a JSON Schema
converted from one (openapi2jsonschema keeps `x-kubernetes-validations`, `default`,
`format` and the list types), gives the same CEL rules, list types and formats as a CRD
among the inputs. Locations are searched in the order given, each as the schema stage
searches it (the file named for the kind first, then the CRD manifests below a dir); only
kinds that the inputs use and their own CRDs do not define are looked up.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from gitops_guard.discover import display_path
from gitops_guard.model import Document
from gitops_guard.validate.apiserver.crd_rules import CrdVersion, crd_index
from gitops_guard.validate.crd import is_crd
from gitops_guard.validate.kubernetes import kubernetes_schemas
from gitops_guard.validate.locations import SchemaDir, SchemaTemplate, location_source
from gitops_guard.validate.options import SchemaOptions
from gitops_guard.validate.schemafile import SchemaFileError, read_documents

Key = tuple[str, str]  # (apiVersion, kind)


class _Files:
    """Each file read once, its CRDs indexed; a JSON Schema kept for the kind it serves."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.crds: dict[Key, CrdVersion] = {}
        self._read: dict[Path, list[Document]] = {}

    def documents(self, path: Path) -> list[Document]:
        if path not in self._read:
            try:
                documents, _ = read_documents(path, display_path(path, self.root))
            except SchemaFileError:
                documents = []  # the schema stage reports it
            self._read[path] = documents
            for key, version in crd_index([d for d in documents if is_crd(d.data)]).items():
                self.crds.setdefault(key, version)
        return self._read[path]

    def describe(self, path: Path, key: Key) -> CrdVersion | None:
        documents = self.documents(path)
        if key in self.crds:
            return self.crds[key]
        if path.suffix.lower() == ".json" and len(documents) == 1 and _is_json_schema(
                documents[0].data):
            doc = documents[0]
            return CrdVersion(doc.path, doc.data, doc, ())
        return None


def _is_json_schema(data: Any) -> bool:
    return isinstance(data, dict) and not is_crd(data) and (
        "properties" in data or "x-kubernetes-validations" in data)


def located_crds(documents: Sequence[Document], known: dict[Key, CrdVersion],
                 options: SchemaOptions, root: Path | None) -> dict[Key, CrdVersion]:
    """(apiVersion, kind) -> the schema a schema location gives it, for the custom
    resources among `documents` that `known` (the inputs' CRDs) does not describe."""
    if not options.schema_locations or root is None:
        return {}
    builtin = kubernetes_schemas(options.kubernetes_version, options.strict)
    keys = [key for key in dict.fromkeys(
        (d.resource.api_version, d.resource.kind) for d in documents if d.resource is not None)
        if key not in known and key[0] not in builtin.served_as(key[1])]
    if not keys:
        return {}
    sources: list[Callable[[str, str], list[Path]]] = []
    for location in dict.fromkeys(options.schema_locations):
        source = location_source(location, root, options)
        assert isinstance(source, (SchemaDir, SchemaTemplate))
        sources.append(source.files_for)
    files = _Files(root)
    found: dict[Key, CrdVersion] = {}
    for key in keys:
        for files_for in sources:
            version = next((v for path in files_for(*key)
                            if (v := files.describe(path, key)) is not None), None)
            if version is not None:
                found[key] = version
                break
    return found
