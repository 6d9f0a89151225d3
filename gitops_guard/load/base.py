"""What every loader shares: limits, results, byte decoding, parse-error findings."""
from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from typing import NamedTuple

from gitops_guard.model import Document, Finding, Location, Severity

# Rule ids of the load family (GG0xx).
INVALID_SYNTAX = "GG001"
DUPLICATE_KEY = "GG002"
UNREADABLE = "GG003"
LIMIT_EXCEEDED = "GG004"
NOT_AN_OBJECT = "GG005"
INCOMPLETE_OBJECT = "GG006"

# Inline suppressions start with this (`# gitops-guard: ignore GG301 reason`): the loaders
# keep the text of files holding it, for evaluate/suppress_sources.py to read.
SUPPRESSION_MARKER = b"gitops-guard:"


@dataclass(frozen=True)
class LoadLimits:
    """Bounds that keep hostile input from exhausting time or memory."""

    max_file_bytes: int = 10 * 1024 * 1024
    max_depth: int = 256
    max_expanded_nodes: int = 1_000_000
    max_expanded_bytes: int = 64 * 1024 * 1024  # scalar text, aliases expanded (yaml_budget.py)
    # python-hcl2 parses ~60 KB/s with ~350 bytes of memory per byte: 512 KiB is ~9 s and
    # ~180 MB; the HCL a run parses in all is capped too (load/files.py).
    max_hcl_bytes: int = 512 * 1024
    max_hcl_run_bytes: int = 4 * 1024 * 1024
    max_documents: int = 10_000


@dataclass
class LoadResult:
    documents: list[Document] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


class FileResult(NamedTuple):
    """One file's load result as a check keeps it (and the load cache stores it)."""

    documents: list[Document]
    findings: list[Finding]
    text: str | None  # the file's text when it holds suppression comments


def load_finding(
    rule_id: str, message: str, path: str, line: int = 0, column: int = 0,
    severity: Severity = Severity.ERROR,
) -> Finding:
    return Finding(rule_id, severity, message, Location(path, line, column), source="loader")


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def too_large(size: int, path: str, limits: LoadLimits) -> Finding:
    """GG004 for a file of `size` bytes (its real size: callers read none of it)."""
    return load_finding(
        LIMIT_EXCEEDED,
        f"file is {size:,} bytes ({size / 1024 / 1024:.1f} MiB), over the "
        f"{limits.max_file_bytes:,}-byte limit; not loaded (raise "
        "load_limits.max_file_bytes in .gitops-guard.yaml)", path)


def decode_text(data: bytes, path: str, limits: LoadLimits) -> str | Finding:
    """Bytes to text, or a finding saying why the file cannot be read as text."""
    if len(data) > limits.max_file_bytes:
        return too_large(len(data), path, limits)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return load_finding(UNREADABLE, "file has a UTF-16 byte-order mark but is not UTF-16",
                                path, 1, 1)
    nul = data.find(b"\x00", 0, 8192)
    if nul >= 0:
        line, col = _line_col(data, nul)
        return load_finding(UNREADABLE, "binary file (NUL byte), not a text manifest", path,
                            line, col)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start)
        return load_finding(
            UNREADABLE,
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}",
            path, line, col,
        )


# Past this many duplicate keys in one file, one summary finding stands for the rest: a
# 10 MB file of `a: 1` lines would otherwise print two million findings.
MAX_DUPLICATE_FINDINGS = 100


def cap_duplicates(findings: list[Finding], path: str, total: int = 0) -> list[Finding]:
    """At most MAX_DUPLICATE_FINDINGS duplicate-key findings, then one summary; `total`
    is how many there were when the loader stopped creating them past the cap."""
    dups = [f for f in findings if f.rule_id == DUPLICATE_KEY]
    total = max(total, len(dups))
    if total <= MAX_DUPLICATE_FINDINGS:
        return findings
    extra = {id(f) for f in dups[MAX_DUPLICATE_FINDINGS:]}
    kept = [f for f in findings if id(f) not in extra]
    last = dups[MAX_DUPLICATE_FINDINGS - 1].location
    kept.append(load_finding(
        DUPLICATE_KEY, f"{total - MAX_DUPLICATE_FINDINGS:,} more duplicate keys after line "
        f"{last.line} are not listed", path, last.line, last.column))
    return kept
