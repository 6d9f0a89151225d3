"""`gitops-guard schemas import CRD_FILE...`: vendor CRD schemas as JSON Schema files.

Each served version of each CRD becomes `{kind}-{group's first label}-{version}.json`
(lowercase), the name kubeconform looks for and openapi2jsonschema writes with
FILENAME_FORMAT='{kind}-{group}-{version}'. `check` finds them through
--schema-location DIR or the config's `schemas:` entries.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from gitops_guard.commands import add_command
from gitops_guard.commands.common import add_config_flag
from gitops_guard.config import Config, resolve_config
from gitops_guard.discover import display_path
from gitops_guard.errors import UsageError
from gitops_guard.validate.crd import (
    CrdError,
    VersionSchema,
    compile_schema,
    crd_versions,
    is_crd,
    to_json_schema,
)
from gitops_guard.validate.schemafile import SchemaFileError, read_documents

DEFAULT_DIR = "schemas"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(sub, "schemas")
    p.set_defaults(func=lambda _args: _usage(p))
    actions = p.add_subparsers(dest="schemas_command", metavar="ACTION")
    imp = actions.add_parser(
        "import", help="convert CRD manifests into JSON Schemas in the repo's schemas dir")
    imp.add_argument("files", nargs="+", metavar="CRD_FILE", help="YAML/JSON files holding CRDs")
    imp.add_argument("--output-dir", metavar="DIR",
                     help="where to write (default: the config's first `schemas:` dir, "
                          "else schemas/ at the repo root)")
    strict = imp.add_mutually_exclusive_group()
    strict.add_argument("--strict", dest="strict", action="store_true", default=None,
                        help="unknown fields are errors in the written schemas (default: "
                             "the config's `strict`, else on)")
    strict.add_argument("--no-strict", dest="strict", action="store_false",
                        help="the written schemas allow unknown fields")
    add_config_flag(imp)
    imp.set_defaults(func=cmd_import)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2




def output_dir(config: Config, requested: str | None) -> Path:
    if requested:
        return Path(requested).resolve()
    for entry in config.schemas:
        if "://" not in entry and "{{" not in entry:
            return (config.root / entry).resolve()
    return config.root / DEFAULT_DIR


def _convert(file: str, root: Path, strict: bool) -> list[tuple[VersionSchema, dict[str, Any]]]:
    path = Path(file)
    shown = display_path(path, root) if path.exists() else file
    if not path.is_file():
        raise UsageError(f"{file}: no such file")
    try:
        documents, problems = read_documents(path, shown)
    except SchemaFileError as exc:
        raise UsageError(str(exc)) from None
    if problems:
        raise UsageError(f"{problems[0].location}: {problems[0].message}")
    crds = [doc for doc in documents if is_crd(doc.data)]
    if not crds:
        raise UsageError(f"{shown}: no CustomResourceDefinition in this file")
    out: list[tuple[VersionSchema, dict[str, Any]]] = []
    for doc in crds:
        try:
            versions = crd_versions(doc.data)
        except CrdError as exc:
            raise UsageError(f"{doc.locate(exc.path)}: CRD cannot be used: {exc}") from None
        for version in versions:
            if version.openapi is None:
                raise UsageError(f"{doc.locate(version.schema_path)}: CRD {version.crd_name} "
                                 f"has no openAPIV3Schema for version {version.version}")
            schema = to_json_schema(version, strict)
            try:
                compile_schema(schema)
            except CrdError as exc:
                where = doc.locate((*version.schema_path, *exc.path))
                raise UsageError(f"{where}: CRD {version.crd_name} version "
                                 f"{version.version}: {exc}") from None
            out.append((version, schema))
    return out


def cmd_import(args: argparse.Namespace) -> int:
    config = resolve_config(args.config)
    strict = config.strict if args.strict is None else bool(args.strict)
    # Convert everything first: a broken input leaves the schemas dir untouched.
    converted = [item for file in args.files for item in _convert(file, config.root, strict)]
    target = output_dir(config, args.output_dir)
    try:
        target.mkdir(parents=True, exist_ok=True)
        for version, schema in converted:
            dest = target / version.file_name
            dest.write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
            print(f"wrote {display_path(dest, config.root)} "
                  f"({version.kind} {version.api_version})")
    except OSError as exc:
        raise UsageError(f"{target}: cannot write: {exc.strerror}") from None
    return 0
