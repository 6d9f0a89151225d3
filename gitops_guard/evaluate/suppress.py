"""Suppressions (design.md §4): hide findings on purpose, always with a reason.

The three forms (inline comment, resource annotation, config `ignore:` entry) are found
by suppress_sources.py, kube-linter's and checkov's annotations by foreign_suppress.py;
this module applies them to every finding (load, schema and policy alike) and reports on
the suppressions themselves.

Rule ids may be globs (`GG3*`). A suppression without a reason does not suppress and is
reported (GG052); a config entry past its `until` date does not suppress either (GG051);
one that hides nothing is reported as unused (GG050), except when its rule did not run
(disabled, `--no-schema`) or, for config entries, when none of their files were checked.
One the config's `suppressions:` policy refuses hides nothing (GG053, suppress_policy.py).
Every finding a suppression hid is returned with it (`Outcome.hidden`): the reports list them.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fnmatch import fnmatchcase
from typing import NamedTuple

from gitops_guard.config import Config
from gitops_guard.evaluate.foreign_suppress import FORMS as FOREIGN_FORMS
from gitops_guard.evaluate.foreign_suppress import foreign_suppressions
from gitops_guard.evaluate.suppress_policy import REFUSED, SuppressionPolicy, suppression_policy
from gitops_guard.evaluate.suppress_sources import (
    Suppression,
    annotation_suppressions,
    comment_suppressions,
    config_location,
    config_suppressions,
)
from gitops_guard.globs import matches
from gitops_guard.model import (
    Document,
    Finding,
    Location,
    ResourceKey,
    Severity,
    SuppressedFinding,
)

UNUSED, EXPIRED, NO_REASON = "GG050", "GG051", "GG052"
SOURCE = "suppression"


@dataclass(frozen=True)
class SuppressScope:
    """What the run covered, to tell an unused suppression from one that was not exercised."""

    today: date = field(default_factory=date.today)
    full_run: bool = True  # the whole repository was checked (no PATH arguments)
    checked_paths: tuple[str, ...] = ()
    inactive: Callable[[str], bool] = lambda rule_id: False


class SuppressionUse(NamedTuple):
    """How one suppression fared, for merging the shards of one run (fleet/merge.py).

    `key` names a suppression every shard may see (an inline comment, a config entry);
    it is "" for an annotation, which belongs to one rendered document."""

    key: str
    rule: str
    used: int
    reported: Finding | None  # the GG050-GG052 finding about it, if any


class Outcome(NamedTuple):
    """The findings left after suppressions (plus GG05x about them), and how many hid."""

    findings: list[Finding]
    suppressed: int = 0
    hidden: tuple[SuppressedFinding, ...] = ()
    usage: tuple[SuppressionUse, ...] = ()


# --- matching -----------------------------------------------------------------------------


class _DocIndex:
    def __init__(self, documents: Sequence[Document]) -> None:
        self._by_path: dict[str, list[Document]] = {}
        for doc in documents:
            self._by_path.setdefault(doc.path, []).append(doc)
        for docs in self._by_path.values():
            docs.sort(key=lambda d: d.line)

    def document_of(self, finding: Finding) -> Document | None:
        docs = self._by_path.get(finding.location.path)
        if not docs:
            return None
        line = finding.location.line
        if finding.resource is not None:
            same = [d for d in docs if d.resource == finding.resource]
            if len(same) == 1:
                return same[0]
            if same:
                docs = same
        before = [d for d in docs if d.line <= line]
        return before[-1] if before else (docs[0] if finding.resource is not None else None)


def _resource_matches(pattern: str, key: ResourceKey | None) -> bool:
    if key is None:
        return False
    parts = pattern.split("/")
    if len(parts) == 1:
        return fnmatchcase(key.kind, parts[0])
    if len(parts) == 2:
        return fnmatchcase(key.kind, parts[0]) and fnmatchcase(key.name, parts[1])
    kind, namespace, name = parts[0], parts[1], "/".join(parts[2:])
    return (fnmatchcase(key.kind, kind) and fnmatchcase(key.namespace, namespace)
            and fnmatchcase(key.name, name))


def _config_covers(s: Suppression, finding: Finding) -> bool:
    if s.path_glob and not matches(finding.location.path, [s.path_glob]):
        return False
    return not s.resource or _resource_matches(s.resource, finding.resource)


def _report(rule_id: str, message: str, s: Suppression,
            locate: Callable[[int], Location]) -> Finding:
    doc = s.document
    where = locate(s.entry) if s.form == "config" else s.location
    return Finding(rule_id, Severity.WARNING, message, where,
                   resource=doc.resource if doc is not None else None, source=SOURCE,
                   env=doc.env if doc is not None else None)


def _exercised(s: Suppression, scope: SuppressScope) -> bool:
    if scope.inactive(s.rule):
        return False
    if s.form != "config" or scope.full_run:
        return True
    return bool(s.path_glob) and any(matches(p, [s.path_glob]) for p in scope.checked_paths)


def apply_suppressions(
    findings: Sequence[Finding], documents: Sequence[Document], texts: Mapping[str, str],
    config: Config, scope: SuppressScope | None = None,
) -> Outcome:
    """`findings` minus the suppressed ones, plus GG050-GG052 about the suppressions."""
    scope = scope or SuppressScope()
    comments: dict[str, list[Suppression]] = {}
    for path, text in texts.items():
        found = comment_suppressions(path, text)
        if found:
            comments[path] = found
    annotations: dict[int, list[Suppression]] = {}
    for s in (*annotation_suppressions(documents), *foreign_suppressions(documents)):
        annotations.setdefault(id(s.document), []).append(s)
    configured = config_suppressions(config)
    every = [*(s for group in comments.values() for s in group),
             *(s for group in annotations.values() for s in group), *configured]
    if not every:
        return Outcome(list(findings))
    policy = suppression_policy(config)
    refused = {id(s): why for s in every if (why := policy.refusal(s))}
    live = {id(s) for s in every if s.reason and (s.until is None or s.until >= scope.today)
            and id(s) not in refused}
    index = _DocIndex(documents) if comments or annotations else None
    kept: list[Finding] = []
    locate = config_location(config)
    hidden: list[SuppressedFinding] = []
    blocked: dict[int, set[str]] = {}  # live suppressions that covered a `never` rule
    for finding in findings:
        by = _suppressed(finding, comments, annotations, configured, live, index, policy,
                         blocked)
        if by is None:
            kept.append(finding)
        else:
            where = locate(by.entry) if by.form == "config" else by.location
            hidden.append(SuppressedFinding(finding, by.form, by.rule, by.reason, where))
    usage: list[SuppressionUse] = []
    for s in every:
        reports = len(kept)
        if id(s) in refused:
            kept.append(_report(REFUSED, f"suppression of {s.rule} refused: {refused[id(s)]}; "
                                "it hides nothing", s, locate))
        elif id(s) in blocked:
            rules = ", ".join(sorted(blocked[id(s)]))
            kept.append(_report(REFUSED, f"suppression of {s.rule} cannot hide {rules}: "
                                "config suppressions.never", s, locate))
        if id(s) in refused:
            usage.append(SuppressionUse(_shared_key(s), s.rule, s.used, kept[-1]))
            continue
        if not s.reason:
            kept.append(_report(NO_REASON, f"suppression of {s.rule} has no reason, so it "
                                "suppresses nothing: add why after the rule id", s, locate))
        elif s.until is not None and s.until < scope.today:
            kept.append(_report(EXPIRED, f"suppression of {s.rule} expired on "
                                f"{s.until.isoformat()} ({s.reason}); its findings are "
                                "reported again", s, locate))
        elif not s.used and s.form not in FOREIGN_FORMS and _exercised(s, scope):
            kept.append(_report(UNUSED, f"unused suppression of {s.rule}: nothing here "
                                f"reports {s.rule} any more; remove it", s, locate))
        usage.append(SuppressionUse(_shared_key(s), s.rule, s.used,
                                    kept[-1] if len(kept) > reports else None))
    return Outcome(kept, len(hidden), tuple(hidden), tuple(usage))


def _shared_key(s: Suppression) -> str:
    if s.form == "annotation":
        return ""
    if s.form == "config":
        return f"config:{s.entry}:{s.rule}"
    return f"{s.form}:{s.location.path}:{s.location.line}:{s.location.column}:{s.rule}"


def _suppressed(
    finding: Finding, comments: Mapping[str, list[Suppression]],
    annotations: Mapping[int, list[Suppression]], configured: Sequence[Suppression],
    live: set[int], index: _DocIndex | None, policy: SuppressionPolicy,
    blocked: dict[int, set[str]],
) -> Suppression | None:
    """The suppression that hides `finding`, None when none does (or may)."""
    if policy.protects(finding.rule_id):
        for s in _covering(finding, comments, annotations, configured, live, index):
            blocked.setdefault(id(s), set()).add(finding.rule_id)
            s.used += 1  # it tried: not "unused"
            break
        return None
    for s in _covering(finding, comments, annotations, configured, live, index):
        s.used += 1
        return s
    return None


def _covering(
    finding: Finding, comments: Mapping[str, list[Suppression]],
    annotations: Mapping[int, list[Suppression]], configured: Sequence[Suppression],
    live: set[int], index: _DocIndex | None,
) -> Iterator[Suppression]:
    doc: Document | None = None
    doc_known = False
    path_comments = comments.get(finding.location.path, ())
    if path_comments or annotations:
        doc = index.document_of(finding) if index is not None else None
        doc_known = True
    for s in path_comments:
        if id(s) in live and s.covers_rule(finding.rule_id) and (
                finding.location.line in s.lines or (doc is not None and doc.line in s.lines)):
            yield s
    if doc_known and doc is not None:
        for s in annotations.get(id(doc), ()):
            if id(s) in live and s.covers_rule(finding.rule_id):
                yield s
    for s in configured:
        if id(s) in live and s.covers_rule(finding.rule_id) and _config_covers(s, finding):
            yield s
