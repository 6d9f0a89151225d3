"""Custom schemas: the config maps file globs to JSON Schemas for any document.

    custom_schemas:
      - {files: "**/values*.yaml", schema: charts/app/values.schema.json}

Every document of a matching file, Kubernetes or not, is validated against that
schema; violations are GG220 findings at the offending field.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from gitops_guard.config import Config
from gitops_guard.errors import ConfigError
from gitops_guard.globs import matches
from gitops_guard.model import Document, Finding, Severity
from gitops_guard.validate.errors import schema_findings
from gitops_guard.validate.schemafile import SchemaFileError, compile_local, read_documents

CUSTOM_SCHEMA_VIOLATION = "GG220"


class CustomSchema(NamedTuple):
    glob: str
    schema: str  # repo-relative, as written in the config
    validator: Any  # a jsonschema_rs validator


def _entry_name(config: Config, index: int, glob: str) -> str:
    where = config.path.name if config.path else ".gitops-guard.yaml"
    return f"{where}: custom_schemas[{index}] (files: {glob!r})"


def load_custom_schemas(config: Config) -> list[CustomSchema]:
    """Compile each configured schema once; a missing or broken one is a config error."""
    out: list[CustomSchema] = []
    for index, (glob, schema) in enumerate(config.custom_schemas):
        entry = _entry_name(config, index, glob)
        path = Path(schema) if Path(schema).is_absolute() else config.root / schema
        if not Path(schema).is_absolute() and not path.resolve().is_relative_to(
                config.root.resolve()):
            raise ConfigError(f"{entry}: schema {schema} resolves outside the repository; "
                              "nothing outside the repository is read")
        if not path.is_file():
            raise ConfigError(f"{entry}: schema {schema}: no such file")
        try:
            documents, problems = read_documents(path, schema)
        except SchemaFileError as exc:
            raise ConfigError(f"{entry}: {exc}") from None
        if problems:
            raise ConfigError(f"{entry}: schema {problems[0].location}: {problems[0].message}")
        if len(documents) != 1:
            raise ConfigError(f"{entry}: schema {schema}: expected one JSON Schema document")
        doc = documents[0]
        try:
            validator = compile_local(doc.data, path, config.root)
        except SchemaFileError as exc:
            raise ConfigError(f"{entry}: schema {doc.locate(exc.path)}: {exc}") from None
        out.append(CustomSchema(glob, schema, validator))
    return out


def validate_custom(documents: Sequence[Document], config: Config) -> list[Finding]:
    if not config.custom_schemas:
        return []
    schemas = load_custom_schemas(config)
    findings: list[Finding] = []
    for doc in documents:
        for custom in schemas:
            if not matches(doc.path, (custom.glob,)) or custom.validator.is_valid(doc.data):
                continue
            found = schema_findings(custom.validator.iter_errors(doc.data), doc,
                                    f"custom schema {custom.schema}", Severity.ERROR)
            findings.extend(dataclasses.replace(f, rule_id=CUSTOM_SCHEMA_VIOLATION)
                            for f in found)
    return findings
