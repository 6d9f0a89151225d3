"""What a run reports: rule selection, skipped kinds and the severity floor.

    rule_switches(config_disabled, enable, disable) -> the ids switched off
    without_kinds(findings, kinds)                   -> findings not about those kinds
    split_by_severity(findings, "warning")           -> (listed, below the floor)

`--disable RULE` adds to the config's `builtin.disable`, `--enable RULE` takes a rule out
of it (the command line wins). Like `builtin.disable`, they select among the built-in and
core rules (a user's own rules are switched off in their policy files); another id is a
usage error.
`--skip-kind` (config `skip_kinds`) drops findings about resources of that kind (`Kind`,
or `group/Kind` to tell a Flux `kustomize.toolkit.fluxcd.io/Kustomization` from kustomize's
own): they are still loaded and seen by cross-resource rules, so skipping Deployments does
not make every Service look empty. `--min-severity` (config `min_severity`) leaves out
of every output the findings below it; they still count in the summary and the exit code.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from gitops_guard.errors import UsageError
from gitops_guard.model import Finding, Severity


def check_ids(ids: Iterable[str], known: Iterable[str], flag: str) -> None:
    """A UsageError (exit 2) for an id that names no built-in or core rule."""
    library = set(known)
    unknown = sorted(i for i in ids if i not in library)
    if unknown:
        raise UsageError(f"{flag} {unknown[0]}: no such built-in rule (see `gitops-guard "
                         "policies list`)")


def rule_switches(config_disabled: Sequence[str], enable: Sequence[str],
                  disable: Sequence[str]) -> tuple[str, ...]:
    """The ids switched off: the config's, plus `disable`, minus `enable`."""
    on = set(enable)
    return tuple(dict.fromkeys(i for i in (*config_disabled, *disable) if i not in on))


def _kind_matches(finding: Finding, kinds: frozenset[str]) -> bool:
    key = finding.resource
    if key is None:
        return False
    return key.kind in kinds or f"{key.group}/{key.kind}" in kinds


def without_kinds(findings: Sequence[Finding], kinds: Iterable[str]) -> list[Finding]:
    wanted = frozenset(kinds)
    if not wanted:
        return list(findings)
    return [f for f in findings if not _kind_matches(f, wanted)]


def split_by_severity(findings: Sequence[Finding], floor: str | None,
                      ) -> tuple[list[Finding], list[Finding]]:
    """(findings at or above `floor`, the ones below it); no floor: all listed."""
    if not floor:
        return list(findings), []
    level = Severity.parse(floor)
    listed = [f for f in findings if f.severity >= level]
    below = [f for f in findings if f.severity < level]
    return listed, below
