"""Schema locations: dirs of JSON Schemas and CRD manifests, and kubeconform path templates.

A dir is searched, on the first kind it is asked about, for
  - JSON Schemas named as kubeconform and openapi2jsonschema name them:
    `{kind}-{group's first label}-{version}.json`, `{group}/{kind}_{version}.json`,
    `{kind}_{version}.json`, `v{X.Y}.0-standalone{-strict}/{kind}{-group}-{version}.json`
    (kind lowercase), and
  - CRD manifests in any `.yaml` / `.yml` file below it.
A template is a local path with kubeconform's variables, rendered for each kind.
"""
from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from gitops_guard.discover import display_path
from gitops_guard.errors import UsageError
from gitops_guard.model import Document, Finding, Location, Severity
from gitops_guard.validate.crd import BROKEN_SCHEMA, CrdSchemas, broken_finding, is_crd
from gitops_guard.validate.options import SchemaOptions
from gitops_guard.validate.schemafile import SchemaFileError, compile_local, read_documents
from gitops_guard.validate.source import CompiledSchema

_VAR = re.compile(r"\{\{\s*\.(\w+)\s*\}\}")
TEMPLATE_VARS = ("NormalizedKubernetesVersion", "StrictSuffix", "ResourceKind",
                 "ResourceAPIVersion", "Group", "KindSuffix")
_CRD_SUFFIXES = (".yaml", ".yml")


class ReportingSource(Protocol):
    """A schema source that may find broken schemas on the way (GG211 findings)."""

    findings: list[Finding]

    def lookup(self, api_version: str, kind: str) -> CompiledSchema | None:
        ...


def template_vars(api_version: str, kind: str, options: SchemaOptions) -> dict[str, str]:
    """kubeconform's template data for one kind (its quirks included: core Group is `v1`)."""
    parts = api_version.split("/")
    suffix = "-" + parts[0].split(".")[0].lower()
    if len(parts) > 1:
        suffix += "-" + parts[1].lower()
    return {
        "NormalizedKubernetesVersion": f"v{options.kubernetes_version}.0",
        "StrictSuffix": "-strict" if options.strict else "",
        "ResourceKind": kind.lower(),
        "ResourceAPIVersion": parts[-1],
        "Group": parts[0],
        "KindSuffix": suffix,
    }


def render(template: str, values: dict[str, str]) -> str:
    return _VAR.sub(lambda m: values[m[1]], template)


class _FileSchemas:
    """Loads schema files once: JSON Schemas compile as they are, CRDs are converted."""

    def __init__(self, root: Path, strict: bool, *extra_dirs: Path) -> None:
        self.root = root
        self.extra_dirs = extra_dirs  # a location outside the repo may $ref within itself
        self.crds = CrdSchemas(strict)
        self.findings: list[Finding] = []
        self._loaded: dict[Path, CompiledSchema | None] = {}

    def _report(self, doc: Document, message: str, exc: SchemaFileError) -> None:
        self.findings.append(broken_finding(doc, message, exc.path))

    def documents(self, path: Path) -> list[Document]:
        shown = display_path(path, self.root)
        try:
            documents, problems = read_documents(path, shown)
        except SchemaFileError as exc:
            self.findings.append(Finding(BROKEN_SCHEMA, Severity.ERROR, str(exc),
                                         Location(shown), source="schema"))
            return []
        self.findings.extend(Finding(BROKEN_SCHEMA, p.severity, f"schema file: {p.message}",
                                     p.location, source="schema") for p in problems)
        return documents

    def add_crds(self, path: Path) -> None:
        for doc in self.documents(path):
            if is_crd(doc.data):
                self.crds.add(doc)
        self.findings.extend(self.crds.findings)
        self.crds.findings.clear()

    def schema_file(self, path: Path, api_version: str, kind: str) -> CompiledSchema | None:
        """The schema in `path` for this kind (a JSON Schema, or a CRD that defines it)."""
        if path not in self._loaded:
            self._loaded[path] = None
            documents = self.documents(path)
            if len(documents) == 1 and not is_crd(documents[0].data):
                doc = documents[0]
                try:
                    validator = compile_local(doc.data, path, self.root, *self.extra_dirs)
                    self._loaded[path] = CompiledSchema(validator, f"schema {doc.path}")
                except SchemaFileError as exc:
                    self._report(doc, f"schema {doc.path}: {exc}", exc)
            else:
                for doc in documents:
                    if is_crd(doc.data):
                        self.crds.add(doc)
        found = self._loaded[path] or self.crds.lookup(api_version, kind)
        self.findings.extend(self.crds.findings)
        self.crds.findings.clear()
        return found


class SchemaDir:
    """JSON Schemas found by file name, then CRD manifests, under one dir; or one file:
    CRD manifests, or a JSON Schema for every kind."""

    def __init__(self, folder: Path, root: Path, options: SchemaOptions) -> None:
        self.folder = folder
        self.options = options
        base = folder if folder.is_dir() else folder.parent
        self._files = _FileSchemas(root, options.strict, base)
        self.findings = self._files.findings
        self._names: dict[str, Path] | None = None
        self._crd_files: list[Path] = []
        self._crds_scanned = False

    def _index(self) -> dict[str, Path]:
        if self._names is None:
            names: dict[str, Path] = {}
            crd_files: list[Path] = []
            for path in _walk(self.folder):
                if path.suffix.lower() == ".json":
                    names.setdefault(path.stem.lower(), path)
                elif path.suffix.lower() in _CRD_SUFFIXES:
                    crd_files.append(path)
            self._names, self._crd_files = names, crd_files
        return self._names

    def _named(self, api_version: str, kind: str) -> Path | None:
        values = template_vars(api_version, kind, self.options)
        group, _, version = api_version.rpartition("/")
        kind_l, version_l = kind.lower(), version.lower()
        names = self._index()
        exact = (self.folder / group / f"{kind_l}_{version_l}.json",
                 self.folder / render("{{ .NormalizedKubernetesVersion }}-standalone"
                                      "{{ .StrictSuffix }}/{{ .ResourceKind }}"
                                      "{{ .KindSuffix }}.json", values))
        by_name = names.get(f"{kind_l}{values['KindSuffix']}")
        if by_name is not None:
            return by_name
        for path in exact:
            if group and path.is_file():
                return path
        return names.get(f"{kind_l}_{version_l}")

    def files_for(self, api_version: str, kind: str) -> list[Path]:
        """The files that may describe this kind, in lookup order (validate/apiserver
        reads their CRD rules): the one named for it, then every CRD manifest."""
        if self.folder.is_file():
            return [self.folder]
        named = self._named(api_version, kind)
        self._index()
        return [*([named] if named is not None else []), *self._crd_files]

    def lookup(self, api_version: str, kind: str) -> CompiledSchema | None:
        if self.folder.is_file():
            # A file holds CRDs, or is one JSON Schema used for every resource that reaches
            # it (as kubeconform uses a location without template variables).
            return self._files.schema_file(self.folder, api_version, kind)
        path = self._named(api_version, kind)
        if path is not None:
            found = self._files.schema_file(path, api_version, kind)
            if found is not None:
                return found
        if not self._crds_scanned:
            self._crds_scanned = True
            for crd_file in self._crd_files:
                self._files.add_crds(crd_file)
        return self._files.crds.lookup(api_version, kind)


class SchemaTemplate:
    """A local path template, kubeconform style: `schemas/{{ .Group }}/{{ .ResourceKind }}.json`."""

    def __init__(self, template: str, root: Path, options: SchemaOptions) -> None:
        unknown = sorted({m[1] for m in _VAR.finditer(template)} - set(TEMPLATE_VARS))
        if unknown or "{{" in _VAR.sub("", template):
            raise UsageError(
                f"schema location {template!r}: unsupported template "
                f"{'variable .' + unknown[0] if unknown else 'syntax'}; "
                f"use {', '.join('{{ .' + v + ' }}' for v in TEMPLATE_VARS)}")
        self.template, self.root, self.options = template, root, options
        self._files = _FileSchemas(root, options.strict)
        self.findings = self._files.findings

    def files_for(self, api_version: str, kind: str) -> list[Path]:
        rendered = render(self.template, template_vars(api_version, kind, self.options))
        path = _resolve(rendered, self.root)
        return [path] if path is not None and path.is_file() else []

    def lookup(self, api_version: str, kind: str) -> CompiledSchema | None:
        paths = self.files_for(api_version, kind)
        return self._files.schema_file(paths[0], api_version, kind) if paths else None


def _walk(folder: Path) -> list[Path]:
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        out.extend(Path(dirpath, n) for n in sorted(filenames) if not n.startswith("."))
    return out


def _resolve(location: str, root: Path) -> Path | None:
    """Relative locations: from the current dir first, then the repo root (config entries)."""
    path = Path(location)
    if path.is_absolute():
        return path if path.exists() else None
    for base in (Path.cwd(), root):
        if (base / path).exists():
            return (base / path).resolve()
    return None


def location_source(location: str, root: Path, options: SchemaOptions) -> ReportingSource:
    """The source for one --schema-location / config `schemas:` entry, or exit 2 saying why."""
    if "://" in location:
        raise UsageError(
            f"schema location {location}: gitops-guard validates offline only; vendor the "
            "schemas with `gitops-guard schemas import CRD_FILE...` and pass their directory")
    if "{{" in location:
        return SchemaTemplate(location, root, options)
    path = _resolve(location, root)
    if path is None:
        raise UsageError(f"schema location {location}: no such directory")
    return SchemaDir(path, root, options)


def schema_sources(
    documents: Sequence[Document], options: SchemaOptions, root: Path,
) -> list[ReportingSource]:
    """CRDs among the inputs first, then each schema location in the order given."""
    sources: list[ReportingSource] = [location_source(loc, root, options)
                                      for loc in dict.fromkeys(options.schema_locations)]
    crds = CrdSchemas(options.strict)
    for doc in documents:
        if is_crd(doc.data):
            crds.add(doc)
    if not crds.findings and not any(True for _ in crds.kinds()):
        return sources
    crds.compile_all()  # a broken CRD in the inputs is reported even when nothing uses it
    return [crds, *sources]
