"""`--schema-engine kubeconform`: delegate validation to the kubeconform binary.

kubeconform runs once for every input file that holds Kubernetes resources
(`-output json`), and its results become the same findings the builtin engine
gives: each `validationErrors[]` entry (kubeconform >= 0.6: `{"path": JSON pointer,
"msg": ...}`) is located at its field's line by matching the result to the loaded
Document (same file, kind, name, apiVersion). Older kubeconform prints only `msg`
("For field spec.replicas: ... - For field ..."), which is parsed the same way.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from gitops_guard.config import Config
from gitops_guard.errors import SchemaError, ToolMissingError
from gitops_guard.model import (
    Document,
    FieldPath,
    Finding,
    Location,
    PathElem,
    ResourceKey,
    Severity,
    format_path,
)
from gitops_guard.render.tools import run_tool
from gitops_guard.validate.builtin import MISSING_SCHEMA
from gitops_guard.validate.errors import INVALID_VALUE, MISSING_FIELD, UNKNOWN_FIELD
from gitops_guard.validate.options import SchemaOptions

TOOL = "kubeconform"
INSTALL_HINT = (
    "install it (https://github.com/yannh/kubeconform/releases, `brew install kubeconform` "
    "or `go install github.com/yannh/kubeconform/cmd/kubeconform@latest`) "
    "or use --schema-engine builtin")
TIMEOUT_SECONDS = 600
MAX_ARGV_BYTES = 512 * 1024  # past this the files go to a few processes, not one

_ADDITIONAL = re.compile(r"additionalProperties ((?:'[^']*'(?:, )?)+) not allowed")
_MISSING = re.compile(r"missing propert(?:y|ies):? ((?:'[^']*'(?:, )?)+)")
_QUOTED = re.compile(r"'([^']*)'")
_OLD_FIELD = re.compile(r"For field ([^:]+): (.*?)(?= - For field |$)")
_OLD_ADDITIONAL = re.compile(r"Additional property (\S+) is not allowed")
_OLD_REQUIRED = re.compile(r"^(\S+) is required$")
_NO_SCHEMA = re.compile(r"could not find schema for (\S+)")


class KubeconformResult(NamedTuple):
    """One entry of kubeconform's JSON `resources` list."""

    filename: str
    kind: str
    name: str
    version: str  # the resource's apiVersion
    status: str  # statusValid | statusInvalid | statusError | statusSkipped | statusEmpty
    msg: str
    errors: tuple[tuple[str, str], ...]  # (JSON pointer, message)


def parse_output(text: str) -> list[KubeconformResult]:
    """kubeconform `-output json` text -> results; SchemaError when it is not that."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SchemaError(f"kubeconform printed no JSON ({exc.msg}): {text.strip()[:200]!r}"
                          ) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("resources"), list):
        raise SchemaError("kubeconform JSON output has no `resources` list")
    out: list[KubeconformResult] = []
    for item in raw["resources"]:
        if not isinstance(item, dict):
            continue
        errors = tuple(
            (str(e.get("path", "")), str(e.get("msg", "")))
            for e in item.get("validationErrors") or () if isinstance(e, dict))
        fields = {k: str(item.get(k) or "")
                for k in ("filename", "kind", "name", "version", "status", "msg")}
        out.append(KubeconformResult(errors=errors, **fields))
    return out


def command(executable: str, options: SchemaOptions, locations: Sequence[str],
            files: Sequence[str]) -> list[str]:
    argv = [executable, "-output", "json", "-summary",
            "-kubernetes-version", f"{options.kubernetes_version}.0"]
    if options.strict:
        argv.append("-strict")
    if options.missing_schemas == "ignore":
        argv.append("-ignore-missing-schemas")
    for location in locations:  # first, so local schemas win and need no download
        argv += ["-schema-location", location]
    argv += ["-schema-location", "default"]
    return [*argv, *files]


def _resolve_location(location: str, root: Path) -> str:
    """Local dirs as absolute paths (config entries are repo-relative); templates as given."""
    if "://" in location or "{{" in location or Path(location).is_absolute():
        return location
    for base in (Path.cwd(), root):
        candidate = base / location
        if candidate.exists():
            return str(candidate.resolve())
    return location


def _pointer(pointer: str, data: Any) -> FieldPath:
    """`/spec/containers/0/image` -> ("spec", "containers", 0, "image"), typed by the data."""
    out: list[PathElem] = []
    here = data
    for token in pointer.split("/")[1:] if pointer.startswith("/") else []:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(here, list) and token.isdigit():
            index = int(token)
            out.append(index)
            here = here[index] if index < len(here) else None
        else:
            out.append(token)
            here = here.get(token) if isinstance(here, dict) else None
    return tuple(out)


def _dotted(field: str, data: Any) -> FieldPath:
    """kubeconform < 0.6 field names: `spec.containers.0.image`, `(root)`."""
    if field in ("(root)", ""):
        return ()
    return _pointer("/" + field.replace("/", "~1").replace(".", "/"), data)


class _Reporter:
    def __init__(self, options: SchemaOptions) -> None:
        self.options = options
        self.label = (f"kubeconform, Kubernetes {options.kubernetes_version}"
                      + (" strict" if options.strict else ""))
        self.missing_seen: set[tuple[str, str]] = set()

    def _finding(self, rule: str, message: str, doc: Document, where: FieldPath,
                 field: FieldPath, severity: Severity = Severity.ERROR) -> Finding:
        return Finding(rule, severity, message, doc.locate(where), doc.resource, "schema",
                       doc.env, format_path(field))

    def _classify(self, doc: Document, path: FieldPath, msg: str, secret: bool,
                  ) -> Iterator[Finding]:
        added = _ADDITIONAL.search(msg) or _OLD_ADDITIONAL.search(msg)
        if added:
            keys = _QUOTED.findall(added[1]) or [added[1]]
            for key in keys:
                field = (*path, key)
                yield self._finding(
                    UNKNOWN_FIELD, f"unknown field \"{format_path(field)}\" ({self.label})",
                    doc, field, field)
            return
        missing = _MISSING.search(msg) or _OLD_REQUIRED.search(msg)
        if missing:
            for prop in _QUOTED.findall(missing[1]) or [missing[1]]:
                field = (*path, prop)
                yield self._finding(
                    MISSING_FIELD,
                    f"missing required field \"{format_path(field)}\" ({self.label})",
                    doc, path, field)
            return
        shown = "value does not match the schema" if secret else msg
        yield self._finding(
            INVALID_VALUE, f"{format_path(path) or '(document)'}: {shown} ({self.label})",
            doc, path, path)

    def invalid(self, doc: Document, result: KubeconformResult) -> list[Finding]:
        secret = result.kind == "Secret"
        out: list[Finding] = []
        for pointer, msg in result.errors:
            out.extend(self._classify(doc, _pointer(pointer, doc.data), msg, secret))
        if not result.errors:
            for field, msg in _OLD_FIELD.findall(result.msg):
                out.extend(self._classify(doc, _dotted(field.strip(), doc.data), msg, secret))
        if not out:
            shown = "resource does not match the schema" if secret else result.msg
            out.append(self._finding(INVALID_VALUE, f"{shown} ({self.label})", doc, (), ()))
        return out

    def error(self, doc: Document, result: KubeconformResult) -> list[Finding]:
        key = doc.resource or ResourceKey(result.version, result.kind, "", result.name)
        if _NO_SCHEMA.search(result.msg):
            if self.options.missing_schemas == "ignore":
                return []
            gvk = (key.api_version, key.kind)
            if self.options.missing_schemas != "reject" and gvk in self.missing_seen:
                return []
            self.missing_seen.add(gvk)
            severity = (Severity.ERROR if self.options.missing_schemas == "reject"
                        else Severity.WARNING)
            return [self._finding(
                MISSING_SCHEMA, f"no schema for {key.kind} {key.api_version} ({self.label}); "
                "add one with --schema-location", doc, ("kind",), ("kind",), severity)]
        return [self._finding(INVALID_VALUE, f"kubeconform: {result.msg}", doc, (), ())]


class _Matcher:
    """Finds the loaded Document a kubeconform result is about."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self._by_file: dict[str, list[Document]] = {}
        self._used: set[int] = set()
        for doc in documents:
            self._by_file.setdefault(doc.path, []).append(doc)

    def find(self, shown: str, result: KubeconformResult) -> Document | None:
        docs = self._by_file.get(shown, [])
        tests = (
            lambda k: (k.kind, k.name, k.api_version) == (result.kind, result.name,
                                                          result.version),
            lambda k: (k.kind, k.name) == (result.kind, result.name),
            lambda k: k.kind == result.kind,
        )
        for test in tests:
            for doc in docs:
                key = doc.resource
                if key is not None and id(doc) not in self._used and test(key):
                    self._used.add(id(doc))
                    return doc
        return None


def _batches(argv: list[str], files: list[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    size = sum(len(a) + 1 for a in argv)
    for file in files:
        if batch and size + len(file) + 1 > MAX_ARGV_BYTES:
            yield batch
            batch, size = [], sum(len(a) + 1 for a in argv)
        batch.append(file)
        size += len(file) + 1
    if batch:
        yield batch


def run_kubeconform(argv: list[str]) -> str:
    # The render stage's runner: no shell, its own process group, killed on timeout.
    run = run_tool(argv, timeout=TIMEOUT_SECONDS)
    if run.timed_out:
        raise SchemaError(f"kubeconform did not finish within {TIMEOUT_SECONDS} s")
    if run.returncode == 127 and not run.stdout:
        raise SchemaError(f"cannot run {run.stderr}")
    if run.returncode not in (0, 1) or not run.stdout.strip():
        detail = (run.stderr or run.stdout).strip().splitlines()
        raise SchemaError(f"kubeconform failed (exit {run.returncode})"
                          + (f": {detail[0]}" if detail else ""))
    return run.stdout


def validate_with_kubeconform(
    documents: Sequence[Document], options: SchemaOptions, config: Config,
    files: Sequence[tuple[Path, str]],
) -> list[Finding]:
    wanted = {d.path for d in documents if d.is_kubernetes and d.env is None
              and d.source_format in ("yaml", "json")}
    targets = {os.path.normpath(str(absolute)): shown
               for absolute, shown in files if shown in wanted}
    if not targets:
        return []
    executable = shutil.which(TOOL)
    if executable is None:
        raise ToolMissingError(TOOL, INSTALL_HINT)
    locations = [_resolve_location(loc, config.root) for loc in options.schema_locations]
    base = command(executable, options, locations, [])
    reporter, matcher = _Reporter(options), _Matcher(documents)
    findings: list[Finding] = []
    for batch in _batches(base, sorted(targets)):
        for result in parse_output(run_kubeconform([*base, *batch])):
            if result.status not in ("statusInvalid", "statusError") or not result.kind:
                continue  # valid, skipped, empty; kind-less documents are not Kubernetes
            shown = targets.get(os.path.normpath(result.filename), result.filename)
            doc = matcher.find(shown, result)
            if doc is None:
                msg = "does not match the schema" if result.kind == "Secret" else result.msg
                findings.append(Finding(
                    INVALID_VALUE, Severity.ERROR,
                    f"{result.kind} {result.name}: {msg} ({reporter.label})",
                    Location(shown), None, "schema"))
            elif result.status == "statusInvalid":
                findings.extend(reporter.invalid(doc, result))
            else:
                findings.extend(reporter.error(doc, result))
    return findings
