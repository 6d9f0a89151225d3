"""Policy sources (source.py): the .rego files found under the policy paths and the rule
inventory read from each (package, rule heads with their lines, METADATA)."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.errors import UsageError
from gitops_guard.evaluate.rego.errors import RegoSyntaxError
from gitops_guard.evaluate.rego.source import find_policy_files, load_modules, parse_module

POLICY = """# a comment
package acme.pods

import rego.v1

# METADATA
# title: No privileged pods
# custom:
#   id: ACME-1
deny contains msg if {
	input.kind == "Pod"
	msg := "x"
}

default allow := false
warn[msg] if { msg := "old style" }
is_pod(x) if x.kind == "Pod"
limit := 3
  indented := 1
else := 2
"""


def test_rule_heads_with_lines_kinds_and_metadata() -> None:
    module = parse_module("p.rego", POLICY)
    assert module.package == "acme.pods"
    heads = [(r.name, r.line, r.is_function, r.has_key) for r in module.rules]
    assert heads == [("deny", 10, False, True), ("allow", 15, False, False),
                     ("warn", 16, False, True), ("is_pod", 17, True, False),
                     ("limit", 18, False, False)]
    deny = module.annotation_for("deny")
    assert deny is not None and (deny.title, deny.rule_id, deny.line) == (
        "No privileged pods", "ACME-1", 6)
    assert module.annotation_for("allow") is None


@pytest.mark.parametrize(("header", "package"), [
    ("package main", "main"),
    ("package data.acme.pods", "acme.pods"),
    ('package acme["my-team"]', "acme.my-team"),
])
def test_package_names_are_normalised(header: str, package: str) -> None:
    assert parse_module("p.rego", f"{header}\nx := 1\n").package == package


def test_package_metadata_belongs_to_the_package() -> None:
    module = parse_module("p.rego", "# METADATA\n# scope: package\n# title: T\npackage main\n"
                                    "deny contains 1 if true\n")
    assert module.package_annotation is not None and module.package_annotation.title == "T"
    assert module.annotation_for("deny") is None


def test_no_package_is_a_syntax_error_at_line_1() -> None:
    with pytest.raises(RegoSyntaxError, match=r"p\.rego:1:1: rego error: no `package`"):
        parse_module("p.rego", "deny contains 1 if true\n")


def test_policy_files_sorted_deduplicated_and_skipping_tool_dirs(tmp_path: Path) -> None:
    for name in ("b.rego", "a/c.rego", "a/notes.txt", ".git/x.rego", "node_modules/m.rego",
                 ".venv/v.rego"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("package main\n")
    found = find_policy_files([str(tmp_path), str(tmp_path / "b.rego")])
    assert [Path(shown).relative_to(tmp_path).as_posix() for _, shown in found] == [
        "a/c.rego", "b.rego"]


@pytest.mark.parametrize(("files", "error"), [
    ({}, "nowhere: policy path not found"),
    ({"bad.rego": b"package main\n\xff\n"}, "bad.rego: cannot read policy"),
])
def test_unreadable_policy_paths_are_usage_errors(tmp_path: Path, files: dict[str, bytes],
                                                  error: str) -> None:
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    paths = [str(tmp_path / n) for n in files] or [str(tmp_path / "nowhere")]
    with pytest.raises(UsageError, match=error):
        load_modules(paths)
