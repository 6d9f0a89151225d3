"""Noise rules: field changes nobody acts on, hidden by default but always counted.

A rule is a name plus field-path globs (`*` matches anything, dots included). A
glob matches a path and everything beneath it. Rules are configured under
`plan.noise` in `.gitops-guard.yaml`: `disable: [names]`, `extra: [{name, path}]`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fnmatch import translate
from typing import Any

from gitops_guard.plan.model import FieldChange


@dataclass(frozen=True)
class NoiseRule:
    name: str
    paths: tuple[str, ...]
    description: str = ""


DEFAULT_RULES: tuple[NoiseRule, ...] = (
    NoiseRule("status", ("status",), "status is written by controllers"),
    NoiseRule("managed-fields", ("metadata.managedFields",), "server-side apply bookkeeping"),
    NoiseRule("server-metadata", (
        "metadata.generation", "metadata.resourceVersion", "metadata.uid",
        "metadata.creationTimestamp", "metadata.selfLink"), "set by the API server"),
    NoiseRule("helm-chart-label", ("*metadata.labels.helm.sh/chart",),
              "changes with every chart release"),
    NoiseRule("app-version-label", ("*metadata.labels.app.kubernetes.io/version",),
              "changes with every release"),
    NoiseRule("checksum-annotation", ("*metadata.annotations.checksum/*",),
              "rollout triggers derived from other changes"),
)


class NoiseFilter:
    def __init__(self, rules: Sequence[NoiseRule]) -> None:
        self.rules = tuple(rules)
        self._compiled = [
            (rule.name, re.compile("(?:" + "|".join(
                f"{translate(p)[:-2]}(?:[.\\[].*)?" for p in rule.paths) + r")\Z", re.S))
            for rule in self.rules
        ]

    def split(self, changes: Iterable[FieldChange],
              hidden: dict[str, int]) -> list[FieldChange]:
        """The changes no rule hides; `hidden` counts the others per rule."""
        kept = []
        for change in changes:
            rule = self._rule_for(change.path)
            if rule:
                hidden[rule] = hidden.get(rule, 0) + 1
            elif change.op in ("added", "removed") and isinstance(
                    change.before if change.op == "removed" else change.after, dict):
                value = change.before if change.op == "removed" else change.after
                rest = self._strip(change.path, value, hidden)
                if rest or not value:
                    kept.append(change._replace(before=rest) if change.op == "removed"
                                else change._replace(after=rest))
            else:
                kept.append(change)
        return kept

    def _rule_for(self, path: str) -> str | None:
        for name, regex in self._compiled:
            if regex.match(path):
                return name
        return None

    def _strip(self, path: str, value: dict[str, Any], hidden: dict[str, int]) -> dict[str, Any]:
        """A subtree that appeared or went, without the fields a rule hides."""
        out: dict[str, Any] = {}
        for key, item in value.items():
            sub = f"{path}.{key}"
            rule = self._rule_for(sub)
            if rule:
                hidden[rule] = hidden.get(rule, 0) + 1
            elif isinstance(item, dict) and item:
                rest = self._strip(sub, item, hidden)
                if rest:
                    out[key] = rest
            else:
                out[key] = item
        return out


def noise_rules(disable: Iterable[str] = (),
                extra: Iterable[tuple[str, str]] = ()) -> list[NoiseRule]:
    off = set(disable)
    rules = [r for r in DEFAULT_RULES if r.name not in off]
    by_name: dict[str, list[str]] = {}
    for name, path in extra:
        by_name.setdefault(name, []).append(path)
    rules.extend(NoiseRule(name, tuple(paths), "configured") for name, paths in by_name.items())
    return rules
