"""The values that flow through the pipeline: documents, locations, findings."""
from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple, Protocol

PathElem = str | int
FieldPath = tuple[PathElem, ...]


class Severity(enum.IntEnum):
    """Ordered so that `severity >= threshold` works."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (error, warning, info)") from None


class Location(NamedTuple):
    """A place in a file: repo-relative path, 1-based line and column (0 = unknown)."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}"
        return self.path


class ResourceKey(NamedTuple):
    api_version: str
    kind: str
    namespace: str
    name: str

    def __str__(self) -> str:
        ns = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind} {ns}{self.name}".rstrip()

    @property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0]


class Positions(Protocol):
    """Maps a field path inside one document to the line and column it came from."""

    def locate(self, path: Sequence[PathElem]) -> tuple[int, int]:
        ...


class FixedPositions:
    """Positions for documents without a source tree: everything is at one place."""

    def __init__(self, line: int = 1, column: int = 1) -> None:
        self._where = (line, column)

    def locate(self, path: Sequence[PathElem]) -> tuple[int, int]:
        return self._where


@dataclass(frozen=True)
class Document:
    """One loaded document: its data plus where it came from."""

    path: str  # repo-relative, forward slashes
    index: int  # document index in the file (0-based)
    data: Any
    positions: Positions = field(compare=False, repr=False)
    line: int = 1  # first line of the document
    source_format: str = "yaml"  # yaml | json | hcl | tfplan | rendered
    env: str | None = None
    cluster: str = ""  # rendered for a remote cluster (Flux spec.kubeConfig): its own unit

    def locate(self, path: Sequence[PathElem] = ()) -> Location:
        line, col = self.positions.locate(path) if path else (self.line, 1)
        return Location(self.path, line, col)

    @cached_property
    def is_kubernetes(self) -> bool:  # cached like `resource`, for the same reason
        d = self.data
        return (
            isinstance(d, dict)
            and isinstance(d.get("apiVersion"), str)
            and isinstance(d.get("kind"), str)
        )

    @cached_property
    def resource(self) -> ResourceKey | None:
        # Cached: rules and validators ask for it hundreds of thousands of times; frozen
        # dataclasses allow it since cached_property writes the instance __dict__ directly.
        if not self.is_kubernetes:
            return None
        meta = self.data.get("metadata")
        meta = meta if isinstance(meta, dict) else {}
        ns, name = meta.get("namespace"), meta.get("name") or meta.get("generateName")
        return ResourceKey(
            self.data["apiVersion"],
            self.data["kind"],
            ns if isinstance(ns, str) else "",
            name if isinstance(name, str) else "",
        )


def format_path(path: Sequence[PathElem]) -> str:
    """`spec.template.spec.containers[0].image` from a field path."""
    out: list[str] = []
    for elem in path:
        if isinstance(elem, int):
            out.append(f"[{elem}]")
        elif out:
            out.append(f".{elem}")
        else:
            out.append(str(elem))
    return "".join(out)


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: Severity
    message: str
    location: Location
    resource: ResourceKey | None = None
    source: str = ""  # what produced it: loader, schema, rego:<pkg>, python:<module>
    env: str | None = None
    field_path: str = ""  # JSON-path-like field inside the resource, when known
    doc_url: str = ""
    # extra keys a policy result carried besides its message (Rego result objects)
    metadata: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def sort_key(self) -> tuple[str, int, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, -int(self.severity), self.rule_id, self.message)


class SuppressedFinding(NamedTuple):
    """A finding a suppression hid in this run, and that suppression."""

    finding: Finding
    form: str  # comment | annotation | config
    rule: str  # the id (or glob) the suppression names
    reason: str
    where: Location  # where the suppression is written


class PolicyTally(NamedTuple):
    """conftest's counts over the Rego checks run (each deny/violation/warn rule per
    input): printed as conftest's last line, `2 tests, 1 passed, 0 warnings, 1 failure,
    0 exceptions`."""

    tests: int = 0
    passed: int = 0
    warnings: int = 0
    failures: int = 0
    exceptions: int = 0

    def __str__(self) -> str:
        def plural(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        return (f"{plural(self.tests, 'test')}, {self.passed} passed, "
                f"{plural(self.warnings, 'warning')}, {plural(self.failures, 'failure')}, "
                f"{plural(self.exceptions, 'exception')}")

    @staticmethod
    def total(tallies: Sequence[PolicyTally | None]) -> PolicyTally | None:
        """The counts summed; None when no Rego ran in any of them."""
        present = [t for t in tallies if t is not None]
        return PolicyTally(*map(sum, zip(*present, strict=True))) if present else None


class CheckResult(NamedTuple):
    findings: list[Finding]
    files: int
    resources: int
    checked_paths: tuple[str, ...] = ()  # every file checked, repo-relative
    baselined: int = 0  # findings hidden because `--baseline FILE` records them
    # Findings below `--min-severity`: counted in summaries and the exit code, not listed.
    unlisted: tuple[Finding, ...] = ()
    # The documents checked. Also kept so that the CLI, which ends without tearing the
    # interpreter down, does not spend ~8 ms (2,000 resources) freeing them mid-run.
    documents: Sequence[Document] = ()
    suppressed: tuple[SuppressedFinding, ...] = ()  # findings hidden by suppressions
    tally: PolicyTally | None = None  # conftest's counts, when Rego policies ran
