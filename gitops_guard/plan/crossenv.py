"""Cross-environment view: one change landing identically in several environments is shown
once with its environment list; where environments diverge because of the change, say so.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gitops_guard.plan.model import FieldChange, Plan, ResourceChange, Risk


@dataclass(frozen=True)
class Group:
    """One object's change, merged across the environments it lands in.

    Each field change and risk carries the environments it applies to; those that
    apply to only some of `envs` are where the environments diverge.
    """

    envs: tuple[str, ...]
    change: ResourceChange  # the first environment's copy
    namespaces: tuple[str, ...]  # per env, same order as envs
    fields: tuple[tuple[FieldChange, tuple[str, ...]], ...] = ()
    risks: tuple[tuple[Risk, tuple[str, ...]], ...] = ()

    @property
    def label(self) -> str:
        ident = self.change.identity
        if len(set(self.namespaces)) <= 1:
            return str(ident)
        kind = str(ident).split(" ", 1)[0]
        return f"{kind} {{{','.join(dict.fromkeys(self.namespaces))}}}/{ident.name}"

    @property
    def risk_level(self) -> int:
        return max((r.level for r, _ in self.risks), default=0)

    def only(self, envs: tuple[str, ...]) -> str:
        """Suffix for an item that applies to only some of this group's environments."""
        return "" if envs == self.envs else f"  [{', '.join(envs)} only]"


@dataclass(frozen=True)
class Divergence:
    group: str
    kind: str
    name: str
    envs: tuple[str, ...]
    message: str


def _merge(items: list[tuple[str, Any]]) -> tuple[tuple[Any, tuple[str, ...]], ...]:
    merged: dict[str, tuple[Any, list[str]]] = {}
    for env, item in items:  # values may hold lists: compare by repr
        merged.setdefault(repr(item), (item, []))[1].append(env)
    return tuple((item, tuple(envs)) for item, envs in merged.values())


def group_changes(plan: Plan) -> list[Group]:
    """Changes merged per object across environments; same-field changes appear once."""
    groups: dict[tuple[Any, ...], list[tuple[str, ResourceChange]]] = {}
    for env in plan.environments:
        for change in env.changes:
            i = change.identity
            key = (i.group, i.kind, i.name, change.action,
                   change.renamed_from.name if change.renamed_from else None)
            groups.setdefault(key, []).append((env.name, change))
    env_order = {e.name: i for i, e in enumerate(plan.environments)}
    out = [Group(tuple(e for e, _ in members), members[0][1],
                 tuple(c.identity.namespace for _, c in members),
                 _merge([(e, f) for e, c in members for f in c.fields]),
                 _merge([(e, r) for e, c in members for r in c.risks]))
           for members in groups.values()]
    out.sort(key=lambda g: (-len(g.envs), [env_order[e] for e in g.envs], -g.risk_level))
    return out


def sections(groups: list[Group]) -> list[tuple[tuple[str, ...], list[Group]]]:
    """Groups bucketed by environment set, in first-seen order."""
    by_envs: dict[tuple[str, ...], list[Group]] = {}
    for g in groups:
        by_envs.setdefault(g.envs, []).append(g)
    for items in by_envs.values():
        items.sort(key=lambda g: -g.risk_level)
    return list(by_envs.items())


def divergences(plan: Plan, groups: list[Group] | None = None) -> list[Divergence]:
    """Where environments diverge because of the change: a field changing in only some of
    the environments an object changes in, or an object changing in some environments
    while it stays as it is in others."""
    if len(plan.environments) < 2:
        return []
    groups = group_changes(plan) if groups is None else groups
    present: dict[tuple[str, str, str], set[str]] = {}
    for env in plan.environments:
        for ident in env.unchanged_ids:
            present.setdefault((ident.group, ident.kind, ident.name), set()).add(env.name)
    out = []
    for g in groups:
        ident = g.change.identity
        if ident.group == "terraform":
            continue
        what = f"{ident.kind} {ident.name}"
        partial = [(f.path, where) for f, where in g.fields if where != g.envs]
        if len(g.envs) > 1 and partial:
            shown = "; ".join(f"{path} only in {', '.join(where)}" for path, where in partial[:3])
            more = f"; and {len(partial) - 3} more" if len(partial) > 3 else ""
            out.append(Divergence(ident.group, ident.kind, ident.name, g.envs,
                                  f"{what} changes differently: {shown}{more}"))
        untouched = sorted(present.get((ident.group, ident.kind, ident.name), set()))
        if untouched:
            out.append(Divergence(ident.group, ident.kind, ident.name, g.envs,
                                  f"{what} changes in {', '.join(g.envs)} but not in "
                                  f"{', '.join(untouched)}"))
    return out
