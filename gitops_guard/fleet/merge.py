"""Bundles -> what one unsharded run computes: the same findings in the same order, the
same counts, the same plan.

Findings are put back in the unsharded run's order (the changed files' first, then each
environment's in the run's order; a shard keeps each environment's own order), so that
the baseline and the cross-environment collapse (environments.dedupe) pick the same
findings. Suppressions shared by shards (inline comments of a base file, config entries)
are unused only when no shard used them, and reported once.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from gitops_guard.check import Gathered
from gitops_guard.fleet.bundle import Bundle, BundleError, RunKey
from gitops_guard.model import Finding
from gitops_guard.plan.model import Plan


class Merged(NamedTuple):
    key: RunKey
    gathered: Gathered
    affected: tuple[str, ...]
    changed: int
    plan: Plan | None
    plan_error: str  # why there is no plan, when one was wanted


def _named(b: Bundle) -> str:
    return f"shard {b.shard}/{b.key.total}"


def check_complete(bundles: Sequence[tuple[str, Bundle]], expected: RunKey | None) -> None:
    """Every shard of one run, exactly once, none failed; `expected` is the merge's own
    view of the run (commit, base, config, flags)."""
    if not bundles:
        raise BundleError("ci merge: no bundles given")
    failed = [(p, b) for p, b in bundles if b.error]
    if failed:
        path, b = min(failed, key=lambda pb: pb[1].shard)
        raise BundleError(f"{_named(b)} failed ({path}): {b.error}")
    first_path, first = bundles[0]
    seen: dict[int, str] = {}
    for path, b in bundles:
        if b.key.head != first.key.head:
            raise BundleError(f"{path}: from commit {b.key.head[:12]}, but {first_path} is "
                              f"from {first.key.head[:12]}: bundles of one run only")
        if b.key != first.key:
            what = next(n for n in RunKey._fields
                        if getattr(b.key, n) != getattr(first.key, n))
            raise BundleError(f"{path}: another run than {first_path} (its {what} differs): "
                              "run every shard with the same flags, config and --shard N")
        if b.shard in seen:
            raise BundleError(f"{path}: {_named(b)} again (also {seen[b.shard]})")
        seen[b.shard] = path
    if expected is not None:
        for name in ("head", "base", "config", "flags"):
            mine, theirs = getattr(expected, name), getattr(first.key, name)
            if mine != theirs:
                what = {"head": "commit", "base": "merge base", "config": "config",
                        "flags": "check flags"}[name]
                raise BundleError(
                    f"{first_path}: the bundles are from another {what} than this merge "
                    f"({theirs[:12]} vs {mine[:12]}): merge on the commit the shards "
                    "checked, with the same config and check flags")
    missing = [k for k in range(1, first.key.total + 1) if k not in seen]
    if missing:
        names = ", ".join(f"{k}/{first.key.total}" for k in missing)
        raise BundleError(f"shard{'s' if len(missing) > 1 else ''} {names}: no bundle; "
                          "the gate fails until every shard has reported")


def _shared_reports(bundles: Sequence[Bundle], inactive: frozenset[str]
                    ) -> tuple[list[Finding], set[str]]:
    """Reports about suppressions that must go: a shared one another shard used, one
    whose rule did not run somewhere, and second copies of a shared one."""
    used = {u.key for b in bundles for u in b.usage if u.key and u.used}
    drop: list[Finding] = []
    once: set[str] = set()
    for b in bundles:
        for u in b.usage:
            if u.reported is None:
                continue
            settled = u.reported.rule_id == "GG050" and (u.key in used or u.rule in inactive)
            if settled or (u.key and u.key in once):
                drop.append(u.reported)
            elif u.key:
                once.add(u.key)
    return drop, once


def _without(findings: list[Finding], drop: list[Finding]) -> list[Finding]:
    counts: dict[Finding, int] = {}
    for f in drop:
        counts[f] = counts.get(f, 0) + 1
    kept: list[Finding] = []
    for f in findings:
        if counts.get(f, 0) > 0:
            counts[f] -= 1
        else:
            kept.append(f)
    return kept


def merge_bundles(bundles: Sequence[tuple[str, Bundle]], expected: RunKey | None) -> Merged:
    check_complete(bundles, expected)
    ordered = sorted((b for _, b in bundles), key=lambda b: b.shard)
    first = ordered[0]
    rank = {name: i for i, name in enumerate(first.affected)}
    findings = [f for b in ordered for f in b.findings]
    findings.sort(key=lambda f: -1 if f.env is None else rank.get(f.env, len(rank)))
    inactive = frozenset().union(*(b.inactive for b in ordered))
    drop, _ = _shared_reports(ordered, inactive)
    findings = _without(findings, drop)
    checked = tuple(sorted(set().union(*(b.checked for b in ordered))))
    hidden = [h for b in ordered for h in b.suppressed]
    hidden.sort(key=lambda h: -1 if h.finding.env is None else rank.get(h.finding.env, len(rank)))
    gathered = Gathered(findings, checked, sum(b.resources for b in ordered),
                        inactive=inactive, suppressed=tuple(hidden))
    plan: Plan | None = None
    plan_error = next((b.plan_error for b in ordered if b.plan_error), "")
    if first.plan_wanted and not plan_error:
        parts = [p for b in ordered if b.plan is not None for p in [b.plan]]
        envs = [e for p in parts for e in p.environments]
        envs.sort(key=lambda e: rank.get(e.name, -1))
        base = parts[0] if parts else Plan([])
        plan = Plan(envs, base.base, base.against)
    return Merged(first.key, gathered, first.affected, first.changed, plan, plan_error)
