"""Where suppressions are written: inline comments (the line they cover), the annotation,
the config's `ignore:` entries (located in the config file). Applying them: test_suppress.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.config import load_config
from gitops_guard.evaluate.suppress_sources import (
    annotation_suppressions,
    comment_suppressions,
    config_location,
    config_suppressions,
)
from gitops_guard.load import load_bytes

MANIFEST = """\
# gitops-guard: ignore GG301 runs as root on purpose
---
apiVersion: v1
kind: Pod
metadata:
  name: web  # gitops-guard: ignore GG402,GG403 - probes come later
spec:
  # gitops-guard: ignore GG5*: images pinned by digest elsewhere

  containers: []
  # gitops-guard: ignore
  # a comment that names gitops-guard without ignoring anything
"""


def test_comments_cover_their_line_or_the_next_line_of_yaml() -> None:
    found = comment_suppressions("m.yaml", MANIFEST)
    assert [(s.rule, s.reason, s.location.line, s.location.column, sorted(s.lines))
            for s in found] == [
        ("GG301", "runs as root on purpose", 1, 1, [3]),  # past the `---`
        ("GG402", "probes come later", 6, 14, [6]),  # trailing: its own line
        ("GG403", "probes come later", 6, 14, [6]),
        ("GG5*", "images pinned by digest elsewhere", 8, 3, [10]),  # past blank lines
    ]
    assert all(s.form == "comment" for s in found)


@pytest.mark.parametrize(("rule", "rule_id", "covers"), [
    ("GG301", "GG301", True), ("GG301", "GG302", False), ("GG3*", "GG302", True),
    ("GG3*", "GG402", False), ("*", "ACME001", True)])
def test_covers_rule(rule: str, rule_id: str, covers: bool) -> None:
    [s] = comment_suppressions("m.yaml", f"a: 1  # gitops-guard: ignore {rule} why\n")
    assert s.covers_rule(rule_id) is covers


def test_the_annotation_lists_rules_with_their_reasons() -> None:
    text = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n"
            "    gitops-guard.io/ignore: 'GG301=needs root, for now,GG402=batch job, GG403'\n"
            "---\napiVersion: v1\nkind: Pod\nmetadata: {name: q}\n")
    docs = load_bytes(text.encode(), "p.yaml").documents
    found = annotation_suppressions(docs)
    assert [(s.rule, s.reason, s.location.line) for s in found] == [
        ("GG301", "needs root, for now", 6), ("GG402", "batch job", 6), ("GG403", "", 6)]
    assert all(s.document is docs[0] and s.form == "annotation" for s in found)


def test_config_entries_are_located_at_their_line_in_the_config(tmp_path: Path) -> None:
    (tmp_path / ".gitops-guard.yaml").write_text(
        "ignore:\n"
        "  - {rule: GG301, path: 'apps/**', reason: legacy}\n"
        "  - rule: GG402\n    resource: Deployment/web\n    reason: batch\n"
        "    until: 2099-01-01\n")
    config = load_config(tmp_path / ".gitops-guard.yaml", tmp_path)
    found = config_suppressions(config)
    assert [(s.rule, s.path_glob, s.resource, s.reason, str(s.until), s.entry)
            for s in found] == [("GG301", "apps/**", "", "legacy", "None", 0),
                                ("GG402", "", "Deployment/web", "batch", "2099-01-01", 1)]
    locate = config_location(config)
    assert [(loc.path, loc.line) for loc in (locate(0), locate(1))] == [
        (".gitops-guard.yaml", 2), (".gitops-guard.yaml", 3)]
