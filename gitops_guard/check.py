"""The `check` pipeline: discover -> load -> validate -> (evaluate) -> findings."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gitops_guard.config import Config
from gitops_guard.discover import discover_files
from gitops_guard.load import load_bytes
from gitops_guard.load.base import UNREADABLE, LoadLimits, load_finding
from gitops_guard.model import CheckResult, Document, Finding, Severity
from gitops_guard.validate import validate_documents
from gitops_guard.validate.options import SchemaOptions


@dataclass(frozen=True)
class CheckOptions:
    paths: tuple[str, ...] = ()
    schema: SchemaOptions = field(default_factory=lambda: SchemaOptions("1.37"))
    validate_schemas: bool = True


def load_files(
    files: Sequence[tuple[Path, str]], limits: LoadLimits,
) -> tuple[list[Document], list[Finding]]:
    documents: list[Document] = []
    findings: list[Finding] = []
    for absolute, shown in files:
        try:
            size = absolute.stat().st_size
            if size > limits.max_file_bytes:
                # Read no more than one byte past the limit: the loader reports the size.
                with absolute.open("rb") as fh:
                    data = fh.read(limits.max_file_bytes + 1)
            else:
                data = absolute.read_bytes()
        except OSError as exc:
            findings.append(load_finding(UNREADABLE, f"cannot read: {exc.strerror}", shown))
            continue
        result = load_bytes(data, shown, limits)
        documents.extend(result.documents)
        findings.extend(result.findings)
    return documents, findings


def run_check(options: CheckOptions, config: Config) -> CheckResult:
    files = discover_files(options.paths, config.root, config.include, config.exclude)
    documents, findings = load_files(files, config.load_limits)
    if options.validate_schemas:
        findings.extend(validate_documents(documents, options.schema, config, files))
    findings.sort(key=Finding.sort_key)
    resources = sum(1 for d in documents if d.is_kubernetes)
    return CheckResult(findings, len(files), resources, tuple(shown for _, shown in files))


def exit_code_for(findings: Sequence[Finding], fail_on: str) -> int:
    if fail_on == "never":
        return 0
    threshold = Severity.parse(fail_on)
    return 1 if any(f.severity >= threshold for f in findings) else 0
