"""The diff engine: two sets of objects in -> added, removed, renamed, changed resources.

Objects are matched by identity (group/kind/namespace/name, namespace defaulted);
what is left over on both sides of the same group/kind/namespace and nearly the
same content is one rename. Secrets are masked before anything is compared.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from gitops_guard.plan.fields import diff_values
from gitops_guard.plan.identity import cluster_scoped_crds, identity_of
from gitops_guard.plan.masking import SecretMasker
from gitops_guard.plan.model import (
    ACTIONS,
    ADDED,
    CHANGED,
    REMOVED,
    RENAMED,
    EnvPlan,
    FieldChange,
    Identity,
    ResourceChange,
)
from gitops_guard.plan.noise import DEFAULT_RULES, NoiseFilter
from gitops_guard.plan.risk import assess

RENAME_SIMILARITY = 0.8
MAX_RENAME_PAIRS = 10_000  # per group/kind/namespace bucket; beyond it, no rename detection


@dataclass(frozen=True)
class Obj:
    """One manifest as the engine sees it: masked data plus the file it came from."""

    data: dict[str, Any]
    source: str = ""


@dataclass
class DiffSettings:
    noise: NoiseFilter = field(default_factory=lambda: NoiseFilter(DEFAULT_RULES))
    masker: SecretMasker = field(default_factory=SecretMasker)
    default_namespace: str = "default"
    report_removed: bool = True  # live/snapshot: objects only in the cluster are not "removed"


def index_objects(objects: Iterable[tuple[dict[str, Any], str]], settings: DiffSettings,
                  cluster_kinds: set[tuple[str, str]]) -> dict[Identity, Obj]:
    out: dict[Identity, Obj] = {}
    for data, source in objects:
        ident = identity_of(data, settings.default_namespace, cluster_kinds)
        out[ident] = Obj(settings.masker(data), source)
    return out


def _leaves(value: Any, path: str, out: set[tuple[str, Any]]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _leaves(v, f"{path}.{k}", out)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _leaves(v, f"{path}[{i}]", out)
    else:
        out.add((path, value if isinstance(value, str | int | float | bool) or value is None
                 else repr(value)))


def _fingerprint(data: dict[str, Any]) -> set[tuple[str, Any]]:
    meta = data.get("metadata")
    body = {**data, "metadata": {k: v for k, v in meta.items() if k != "name"}} \
        if isinstance(meta, dict) else data
    leaves: set[tuple[str, Any]] = set()
    _leaves({k: v for k, v in body.items() if k != "apiVersion"}, "", leaves)
    return leaves


def similarity(a: dict[str, Any], b: dict[str, Any]) -> float:
    fa, fb = _fingerprint(a), _fingerprint(b)
    union = len(fa | fb)
    return len(fa & fb) / union if union else 1.0


def find_renames(removed: dict[Identity, Obj], added: dict[Identity, Obj],
                 threshold: float = RENAME_SIMILARITY) -> list[tuple[Identity, Identity]]:
    """(old, new) pairs: same group/kind/namespace, content >= threshold alike, best first."""
    buckets: dict[tuple[str, str, str], tuple[list[Identity], list[Identity]]] = {}
    for ident in removed:
        buckets.setdefault(ident[:3], ([], []))[0].append(ident)
    for ident in added:
        if ident[:3] in buckets:
            buckets[ident[:3]][1].append(ident)
    pairs: list[tuple[Identity, Identity]] = []
    for olds, news in buckets.values():
        if not news or len(olds) * len(news) > MAX_RENAME_PAIRS:
            continue
        prints = {i: _fingerprint(removed[i].data) for i in olds}
        prints.update({i: _fingerprint(added[i].data) for i in news})
        scored = []
        for old in olds:
            for new in news:
                union = len(prints[old] | prints[new])
                score = len(prints[old] & prints[new]) / union if union else 1.0
                if score >= threshold:
                    scored.append((-score, old, new))
        taken: set[Identity] = set()
        for _, old, new in sorted(scored):
            if old not in taken and new not in taken:
                taken.update((old, new))
                pairs.append((old, new))
    return pairs


def _api(obj: Obj | None) -> str:
    return str(obj.data.get("apiVersion", "")) if obj else ""


def diff_objects(before: Sequence[tuple[dict[str, Any], str]],
                 after: Sequence[tuple[dict[str, Any], str]],
                 settings: DiffSettings, env: EnvPlan) -> EnvPlan:
    """Fill `env` with the changes from `before` to `after` (objects with their source file)."""
    cluster_kinds = cluster_scoped_crds(d for d, _ in (*before, *after))
    old = index_objects(before, settings, cluster_kinds)
    new = index_objects(after, settings, cluster_kinds)
    changes: list[ResourceChange] = []
    unchanged: set[Identity] = set()

    def add(ident: Identity, action: str, b: Obj | None, a: Obj | None,
            fields: tuple[FieldChange, ...] = (), renamed_from: Identity | None = None) -> None:
        risks = assess(ident, action, b.data if b else None, a.data if a else None, fields)
        either = a or b
        changes.append(ResourceChange(
            ident, action, _api(either), _api(b) if b and a else "", renamed_from, fields,
            risks, either.source if either else ""))

    def compare(ident: Identity, b: Obj, a: Obj, renamed_from: Identity | None = None) -> None:
        if b.data == a.data and renamed_from is None:
            unchanged.add(ident)
            return
        raw = diff_values(b.data, a.data)
        if renamed_from is not None:
            raw = [f for f in raw if f.path != "metadata.name"]
        fields = tuple(settings.noise.split(raw, env.hidden))
        if not fields and renamed_from is None:
            unchanged.add(ident)
            return
        add(ident, RENAMED if renamed_from else CHANGED, b, a, fields, renamed_from)

    for ident, a in new.items():
        b = old.get(ident)
        if b is not None:
            compare(ident, b, a)
    removed = {i: o for i, o in old.items() if i not in new}
    added = {i: o for i, o in new.items() if i not in old}
    for old_id, new_id in find_renames(removed, added) if settings.report_removed else []:
        compare(new_id, removed.pop(old_id), added.pop(new_id), old_id)
    for ident, a in added.items():
        add(ident, ADDED, None, a)
    if settings.report_removed:
        for ident, b in removed.items():
            add(ident, REMOVED, b, None)
    order = {a: i for i, a in enumerate(ACTIONS)}
    changes.sort(key=lambda c: (-c.risk_level, order[c.action], c.identity))
    env.changes = changes
    env.unchanged = len(unchanged)
    env.unchanged_ids = frozenset(unchanged)
    return env
