"""Finding suppressions (design.md §4): where each one is written and what it covers.

Three forms:

- an inline comment `# gitops-guard: ignore GG301[,GG302] reason...`, either trailing the
  line it covers or on its own line(s) just above it; it covers findings on that line
  and, when that line is a resource's first line, every finding of that resource;
- the annotation `gitops-guard.io/ignore: "GG301=reason,GG302=other reason"` on the
  resource (covers every finding of that resource);
- a config entry `ignore: [{rule, path?, resource?, reason, until?}]` (`path` is a glob,
  `resource` is `Kind`, `Kind/name` or `Kind/namespace/name`, globs allowed).

Applying them to the findings is suppress.py's job.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatchcase

from gitops_guard.config import Config
from gitops_guard.model import Document, Location

ANNOTATION = "gitops-guard.io/ignore"

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


def _split_ids(text: str) -> tuple[list[str], str]:
    m = _IDS.match(text)
    if m is None:
        return [], ""
    # `ignore GG301: reason`: the colon ends the ids (an id never ends with one)
    ids = [i.strip().rstrip(":") for i in m.group("ids").split(",")]
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


def config_location(config: Config) -> Callable[[int], Location]:
    """Lazily re-reads the config file to point at entry `i` of `ignore:`."""
    from gitops_guard.discover import display_path
    from gitops_guard.load.yaml import load_yaml

    cache: list[Document | None] = []
    shown = display_path(config.path, config.root) if config.path else ".gitops-guard.yaml"
    if shown.startswith("/") and config.path is not None:  # --trusted-ref: a temporary tree
        shown = config.path.name

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
    return [Suppression(e.rule, e.reason, "config", Location(""), path_glob=e.path,
                        resource=e.resource, until=e.until, entry=e.index)
            for e in config.suppression.ignore]
