"""Suppressions (design.md §4): hide findings on purpose, always with a reason.

Three forms, applied to every finding (load, schema and policy alike):

- an inline comment `# gitops-guard: ignore GG301[,GG302] reason...`, either trailing the
  line it covers or on its own line(s) just above it; it covers findings on that line
  and, when that line is a resource's first line, every finding of that resource;
- the annotation `gitops-guard.io/ignore: "GG301=reason,GG302=other reason"` on the
  resource (covers every finding of that resource);
- a config entry `ignore: [{rule, path?, resource?, reason, until?}]` (`path` is a glob,
  `resource` is `Kind`, `Kind/name` or `Kind/namespace/name`, globs allowed).

Rule ids may be globs (`GG3*`). A suppression without a reason does not suppress and is
reported (GG052); a config entry past its `until` date does not suppress either (GG051);
one that hides nothing is reported as unused (GG050), except when its rule did not run
(disabled, `--no-schema`) or, for config entries, when none of their files were checked.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fnmatch import fnmatchcase
from typing import Any, NamedTuple

from gitops_guard.config import Config
from gitops_guard.errors import ConfigError
from gitops_guard.globs import matches
from gitops_guard.model import Document, Finding, Location, ResourceKey, Severity

MARKER = b"gitops-guard:"
ANNOTATION = "gitops-guard.io/ignore"
UNUSED, EXPIRED, NO_REASON = "GG050", "GG051", "GG052"
SOURCE = "suppression"

_ID = r"[A-Za-z0-9_.:/*-]+"
_COMMENT = re.compile(r"#\s*gitops-guard:\s*ignore\b(?P<rest>.*)$")
_IDS = re.compile(rf"^\s*(?P<ids>{_ID}(?:\s*,\s*{_ID})*)(?P<reason>.*)$")
_ANNOTATION_SPLIT = re.compile(rf",\s*(?={_ID}\s*(?:=|,|$))")


@dataclass
class Suppression:
    rule: str
    reason: str
    form: str  # comment | annotation | config
    location: Location
    lines: frozenset[int] = frozenset()  # comment: the lines it covers
    document: Document | None = None  # annotation: the resource carrying it
    path_glob: str = ""  # config
    resource: str = ""  # config
    until: date | None = None
    entry: int = -1  # config: index in `ignore:`, located only when reported
    used: int = 0

    def covers_rule(self, rule_id: str) -> bool:
        return rule_id == self.rule or ("*" in self.rule and fnmatchcase(rule_id, self.rule))


@dataclass(frozen=True)
class SuppressScope:
    """What the run covered, to tell an unused suppression from one that was not exercised."""

    today: date = field(default_factory=date.today)
    full_run: bool = True  # the whole repository was checked (no PATH arguments)
    checked_paths: tuple[str, ...] = ()
    inactive: Callable[[str], bool] = lambda rule_id: False


class Outcome(NamedTuple):
    """The findings left after suppressions (plus GG05x about them), and how many hid."""

    findings: list[Finding]
    suppressed: int = 0


# --- collecting ---------------------------------------------------------------------------


def _split_ids(text: str) -> tuple[list[str], str]:
    m = _IDS.match(text)
    if m is None:
        return [], ""
    ids = [i.strip() for i in m.group("ids").split(",")]
    return ids, m.group("reason").strip().lstrip("-:—").strip()


def comment_suppressions(path: str, text: str) -> list[Suppression]:
    lines = text.splitlines()
    found: list[Suppression] = []
    for number, line in enumerate(lines, start=1):
        if "gitops-guard" not in line:
            continue
        m = _COMMENT.search(line)
        if m is None:
            continue
        ids, reason = _split_ids(m.group("rest"))
        column = m.start() + 1
        if line[:m.start()].strip():  # trailing: covers its own line
            target = number
        else:  # on its own line: covers the next line that is not a comment or `---`
            target = number + 1
            while target <= len(lines):
                stripped = lines[target - 1].strip()
                if stripped and not stripped.startswith("#") and stripped != "---":
                    break
                target += 1
        for rule_id in ids:
            found.append(Suppression(rule_id, reason, "comment", Location(path, number, column),
                                     lines=frozenset({target})))
    return found


def _annotation_of(doc: Document) -> str | None:
    meta = doc.data.get("metadata") if isinstance(doc.data, dict) else None
    notes = meta.get("annotations") if isinstance(meta, dict) else None
    value = notes.get(ANNOTATION) if isinstance(notes, dict) else None
    return value if isinstance(value, str) else None


def annotation_suppressions(documents: Iterable[Document]) -> list[Suppression]:
    found: list[Suppression] = []
    for doc in documents:
        value = _annotation_of(doc)
        if value is None:
            continue
        where = doc.locate(("metadata", "annotations", ANNOTATION))
        for entry in _ANNOTATION_SPLIT.split(value.strip()):
            rule_id, _, reason = entry.partition("=")
            if rule_id.strip():
                found.append(Suppression(rule_id.strip(), reason.strip(), "annotation", where,
                                         document=doc))
    return found


def _parse_until(value: Any, index: int) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"ignore[{index}].until: {value!r} is not a date (YYYY-MM-DD)"
                          ) from None


def _config_location(config: Config) -> Callable[[int], Location]:
    """Lazily re-reads the config file to point at entry `i` of `ignore:`."""
    from gitops_guard.discover import display_path
    from gitops_guard.load.yaml import load_yaml

    cache: list[Document | None] = []
    shown = display_path(config.path, config.root) if config.path else ".gitops-guard.yaml"

    def locate(index: int) -> Location:
        if not cache:
            doc = None
            if config.path is not None:
                try:
                    result = load_yaml(config.path.read_bytes(), shown, config.load_limits)
                    doc = result.documents[0] if result.documents else None
                except OSError:
                    doc = None
            cache.append(doc)
        doc = cache[0]
        return doc.locate(("ignore", index)) if doc is not None else Location(shown)

    return locate


def config_suppressions(config: Config) -> list[Suppression]:
    entries = config.raw.get("ignore") or []
    found: list[Suppression] = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            continue
        found.append(Suppression(
            str(entry.get("rule", "")), str(entry.get("reason") or "").strip(), "config",
            Location(""), path_glob=str(entry.get("path") or ""),
            resource=str(entry.get("resource") or ""), until=_parse_until(entry.get("until"), i),
            entry=i))
    return found


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
    for s in annotation_suppressions(documents):
        annotations.setdefault(id(s.document), []).append(s)
    configured = config_suppressions(config)
    every = [*(s for group in comments.values() for s in group),
             *(s for group in annotations.values() for s in group), *configured]
    if not every:
        return Outcome(list(findings))
    live = {id(s) for s in every if s.reason and (s.until is None or s.until >= scope.today)}
    index = _DocIndex(documents) if comments or annotations else None
    kept: list[Finding] = []
    for finding in findings:
        if not _suppressed(finding, comments, annotations, configured, live, index):
            kept.append(finding)
    hidden = len(findings) - len(kept)
    locate = _config_location(config)
    for s in every:
        if not s.reason:
            kept.append(_report(NO_REASON, f"suppression of {s.rule} has no reason, so it "
                                "suppresses nothing: add why after the rule id", s, locate))
        elif s.until is not None and s.until < scope.today:
            kept.append(_report(EXPIRED, f"suppression of {s.rule} expired on "
                                f"{s.until.isoformat()} ({s.reason}); its findings are "
                                "reported again", s, locate))
        elif not s.used and _exercised(s, scope):
            kept.append(_report(UNUSED, f"unused suppression of {s.rule}: nothing here "
                                f"reports {s.rule} any more; remove it", s, locate))
    return Outcome(kept, hidden)


def _suppressed(
    finding: Finding, comments: Mapping[str, list[Suppression]],
    annotations: Mapping[int, list[Suppression]], configured: Sequence[Suppression],
    live: set[int], index: _DocIndex | None,
) -> bool:
    doc: Document | None = None
    doc_known = False
    path_comments = comments.get(finding.location.path, ())
    if path_comments or annotations:
        doc = index.document_of(finding) if index is not None else None
        doc_known = True
    for s in path_comments:
        if id(s) in live and s.covers_rule(finding.rule_id) and (
                finding.location.line in s.lines or (doc is not None and doc.line in s.lines)):
            s.used += 1
            return True
    if doc_known and doc is not None:
        for s in annotations.get(id(doc), ()):
            if id(s) in live and s.covers_rule(finding.rule_id):
                s.used += 1
                return True
    for s in configured:
        if id(s) in live and s.covers_rule(finding.rule_id) and _config_covers(s, finding):
            s.used += 1
            return True
    return False
