"""Baselines: record today's findings, then report only new ones.

    gitops-guard check --write-baseline .gitops-guard-baseline.json   # record, exit 0
    gitops-guard check --baseline .gitops-guard-baseline.json         # hide recorded ones

A finding's fingerprint is a hash of its rule id, file path, resource, field path and
message (with line numbers in the message blanked), never its line or column: the
baseline survives lines being inserted or moved. Matching counts: a fingerprint
recorded twice hides two identical findings, not a third.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gitops_guard.errors import UsageError
from gitops_guard.model import Finding

BASELINE_VERSION = 1
# "line 12", "a.yaml:12:3": positions quoted in a message must not pin the fingerprint.
_LINE_NUMBERS = re.compile(
    r"\bline\s+\d+|(?:(?<=\.yaml)|(?<=\.yml)|(?<=\.json)|(?<=\.tf))(?::\d+)+")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def message_hash(message: str) -> str:
    return _digest(_LINE_NUMBERS.sub("#", message))[:16]


def _resource(f: Finding) -> str:
    r = f.resource
    return "" if r is None else "/".join((r.api_version, r.kind, r.namespace, r.name))


def fingerprint(f: Finding) -> str:
    parts = (f.rule_id, f.location.path, _resource(f), f.field_path, f.env or "",
             message_hash(f.message))
    return _digest("\x1f".join(parts))[:32]


def baseline_entry(f: Finding) -> dict[str, Any]:
    return {
        "fingerprint": fingerprint(f),
        "rule_id": f.rule_id,
        "path": f.location.path,
        "resource": _resource(f) or None,
        "field": f.field_path or None,
        "message_hash": message_hash(f.message),
    }


def write_baseline(path: str, findings: Sequence[Finding]) -> int:
    """Write the fingerprints of `findings` to `path`; returns how many were written."""
    entries = sorted((baseline_entry(f) for f in findings),
                     key=lambda e: (e["path"], e["rule_id"], e["fingerprint"]))
    payload = {"version": BASELINE_VERSION, "tool": "gitops-guard", "findings": entries}
    try:
        Path(path).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--write-baseline {path}: cannot write: {exc.strerror}") from None
    return len(entries)


def load_baseline(path: str) -> Counter[str]:
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"--baseline {path}: no such file (create it with "
                         "`gitops-guard check --write-baseline FILE`)") from None
    except OSError as exc:
        raise UsageError(f"--baseline {path}: cannot read: {exc.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"--baseline {path}: not a baseline file: {exc}") from None
    entries = raw.get("findings") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or raw.get("version") != BASELINE_VERSION:
        raise UsageError(f"--baseline {path}: not a gitops-guard baseline "
                         f"(version {BASELINE_VERSION} with a `findings` list)")
    return Counter(str(e.get("fingerprint")) for e in entries if isinstance(e, dict))


def apply_baseline(findings: Sequence[Finding], recorded: Counter[str],
                   ) -> tuple[list[Finding], int]:
    """(findings not in the baseline, how many were hidden)."""
    left = Counter(recorded)
    kept: list[Finding] = []
    hidden = 0
    for f in findings:
        key = fingerprint(f)
        if left[key] > 0:
            left[key] -= 1
            hidden += 1
        else:
            kept.append(f)
    return kept, hidden
