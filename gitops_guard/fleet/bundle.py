"""One shard's result, as a versioned JSON file (docs/fleet.md documents the format).

A bundle names the run it belongs to (`RunKey`: the change's commit, the merge base, a
digest of the config and of the check flags, the shard count and the partition) so a
merge refuses bundles from another commit, config or split. A shard that failed still
writes a bundle, holding its error, so the merge can name it.
"""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from gitops_guard import __version__
from gitops_guard.errors import GuardError
from gitops_guard.evaluate.suppress import SuppressionUse
from gitops_guard.fleet.codec import (
    CodecError,
    decode_finding,
    decode_plan,
    encode_finding,
    encode_plan,
)
from gitops_guard.model import Finding, Location, SuppressedFinding
from gitops_guard.plan.model import Plan

FORMAT = "gitops-guard-bundle"
VERSION = 1


class BundleError(GuardError):
    """A bundle is unreadable, incomplete, from another run, or reports a failed shard."""


class RunKey(NamedTuple):
    """What every shard of one run and its merge agree on."""

    head: str  # the change's commit
    base: str  # the merge base the plan compares against
    config: str  # digest of the effective config
    flags: str  # digest of the flags that change the check's result
    total: int  # N of K/N
    partition: str  # digest of the groups


@dataclass(frozen=True)
class Bundle:
    key: RunKey
    shard: int  # K of K/N
    units: tuple[str, ...] = ()  # the work of this shard (environments, "" = the files)
    error: str = ""  # set when the shard failed: nothing else is meaningful then
    affected: tuple[str, ...] = ()  # every affected environment of the run, in order
    changed: int = 0  # changed files of the run
    findings: tuple[Finding, ...] = ()  # after suppressions, before baseline and dedupe
    usage: tuple[SuppressionUse, ...] = ()
    inactive: frozenset[str] = frozenset()
    suppressed: tuple[SuppressedFinding, ...] = ()  # the findings suppressions hid
    checked: tuple[str, ...] = ()
    resources: int = 0
    plan_wanted: bool = False  # the unsharded run would build a plan
    plan: Plan | None = None  # this shard's environments' plans
    plan_error: str = ""  # why the plan could not be built
    timings: Mapping[str, float] = field(default_factory=dict)


def _usage(u: SuppressionUse) -> dict[str, Any]:
    return {"key": u.key, "rule": u.rule, "used": u.used,
            "reported": encode_finding(u.reported) if u.reported else None}


def encode(b: Bundle) -> dict[str, Any]:
    return {
        "format": FORMAT, "version": VERSION, "tool": __version__,
        "run": b.key._asdict(), "shard": b.shard, "units": list(b.units), "error": b.error,
        "affected": list(b.affected), "changed": b.changed,
        "findings": [encode_finding(f) for f in b.findings],
        "suppressions": [_usage(u) for u in b.usage], "inactive_rules": sorted(b.inactive),
        "suppressed": [{"finding": encode_finding(h.finding), "form": h.form, "rule": h.rule,
                        "reason": h.reason, "where": list(h.where)} for h in b.suppressed],
        "checked": list(b.checked), "resources": b.resources, "plan_wanted": b.plan_wanted,
        "plan": encode_plan(b.plan) if b.plan is not None else None,
        "plan_error": b.plan_error, "timings": dict(b.timings),
    }


def decode(raw: Mapping[str, Any]) -> Bundle:
    plan = raw["plan"]
    return Bundle(
        RunKey(**raw["run"]), int(raw["shard"]), tuple(raw["units"]), str(raw["error"]),
        tuple(raw["affected"]), int(raw["changed"]),
        tuple(decode_finding(f) for f in raw["findings"]),
        tuple(SuppressionUse(u["key"], u["rule"], int(u["used"]),
                             decode_finding(u["reported"]) if u["reported"] else None)
              for u in raw["suppressions"]),
        frozenset(raw["inactive_rules"]),
        tuple(SuppressedFinding(decode_finding(h["finding"]), h["form"], h["rule"], h["reason"],
                                Location(*h["where"])) for h in raw["suppressed"]),
        tuple(raw["checked"]), int(raw["resources"]),
        bool(raw["plan_wanted"]), decode_plan(plan) if plan is not None else None,
        str(raw["plan_error"]), dict(raw["timings"]))


def write_bundle(path: str, bundle: Bundle) -> None:
    """Written whole or not at all (a temporary file renamed into place)."""
    target = Path(path)
    text = json.dumps(encode(bundle), ensure_ascii=False, separators=(",", ":"))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".bundle-", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text + "\n")
        os.replace(tmp, target)
    except OSError as exc:
        raise BundleError(f"--bundle {path}: cannot write: {exc.strerror}") from None


def read_bundle(path: str) -> Bundle:
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BundleError(f"{path}: no such bundle file") from None
    except OSError as exc:
        raise BundleError(f"{path}: cannot read: {exc.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BundleError(f"{path}: not a gitops-guard bundle (not JSON: {exc})") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise BundleError(f"{path}: not a gitops-guard bundle (no \"format\": \"{FORMAT}\")")
    if raw.get("version") != VERSION:
        raise BundleError(f"{path}: bundle version {raw.get('version')!r} written by "
                          f"gitops-guard {raw.get('tool', '?')}; this gitops-guard "
                          f"({__version__}) reads version {VERSION}: run every shard and "
                          "the merge with the same gitops-guard")
    try:
        return decode(raw)
    except (KeyError, TypeError, ValueError, CodecError) as exc:
        raise BundleError(f"{path}: a damaged bundle ({type(exc).__name__}: {exc})") from None
