"""What suppressions may do, set by the config's `suppressions:` (under `--trusted-ref`, the
trusted ref's config: a PR cannot loosen it).

    suppressions:
      inline: false          # comments and annotations (written in the PR) suppress nothing
      wildcards: false       # inline ids must be exact: no `*`, no `GG3*`
      never: [GG201, GG3*]   # findings of these rules are never hidden, by any form

A suppression the policy refuses hides nothing and is reported as GG053 at the place it
is written, saying which key refused it. `inline` and `wildcards` govern the forms the
change writes itself (comments, annotations); `never` also binds the config's `ignore:`.
"""
from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from gitops_guard.config import Config
from gitops_guard.evaluate.suppress_sources import Suppression

REFUSED = "GG053"


@dataclass(frozen=True)
class SuppressionPolicy:
    inline: bool = True
    wildcards: bool = True
    never: tuple[str, ...] = ()

    def protects(self, rule_id: str) -> bool:
        """No suppression may hide a finding of `rule_id`."""
        return any(fnmatchcase(rule_id, pattern) for pattern in self.never)

    def refusal(self, s: Suppression) -> str:
        """Why `s` may not suppress anything at all, "" when it may."""
        inline = s.form != "config"
        if inline and not self.inline:
            return "inline suppressions are off (config suppressions.inline: false)"
        if inline and not self.wildcards and "*" in s.rule:
            return "wildcard rule ids are not allowed (config suppressions.wildcards: false)"
        if "*" not in s.rule and self.protects(s.rule):
            return f"{s.rule} may never be suppressed (config suppressions.never)"
        return ""


def suppression_policy(config: Config) -> SuppressionPolicy:
    section = config.suppression
    return SuppressionPolicy(inline=section.inline, wildcards=section.wildcards,
                             never=section.never)
