"""Alias expansion bounded in bytes (load/yaml_budget.py): in the loader, across the
documents of a file, and where render/ parses YAML a change wrote."""
from __future__ import annotations

import pytest

from gitops_guard.load.base import LoadLimits
from gitops_guard.load.yaml import load_yaml
from gitops_guard.load.yaml_budget import TooLarge, safe_load_bounded

SMALL = LoadLimits(max_expanded_bytes=1000)
BOMB = 'a: &s "' + "x" * 100 + '"\nb: [' + ", ".join(["*s"] * 20) + "]\n"


def _found(text: str) -> list[tuple[str, int, int]]:
    result = load_yaml(text.encode(), "f.yaml", SMALL)
    return [(f.rule_id, f.location.line, f.location.column) for f in result.findings]


@pytest.mark.parametrize(("text", "expect"), [
    (BOMB, [("GG004", 2, 4)]),  # 2,100 bytes expanded: refused at the aliasing list
    ('a: &s "' + "x" * 100 + '"\nb: [*s, *s]\n', []),  # 300 bytes: fine
    # 600 bytes each: the second document passes what is left of the file's budget
    ("a: &s " + "x" * 300 + "\nb: *s\n---\na: &t " + "y" * 300 + "\nb: *t\n",
     [("GG004", 4, 1)]),
    ("x: " + "y" * 5000 + "\n", []),  # no alias: the file's own size is the bound
])
def test_expansion_is_bounded_in_bytes_per_file(text: str, expect: list[tuple[str, int, int]]
                                                ) -> None:
    assert _found(text) == expect


def test_the_finding_says_which_limit() -> None:
    (finding,) = load_yaml(BOMB.encode(), "f.yaml", SMALL).findings
    assert finding.message == "document 1: alias expansion exceeds 1,000 bytes of text " \
        "(load_limits.max_expanded_bytes; a YAML alias bomb?); not loaded"


def test_safe_load_bounded_refuses_what_safe_load_would_expand() -> None:
    with pytest.raises(TooLarge):
        safe_load_bounded(BOMB, SMALL)
    assert safe_load_bounded("a: &x [1]\nb: *x\n") == {"a": [1], "b": [1]}
    assert safe_load_bounded("a: 1\n---\nb: 2\n", first=True) == {"a": 1}
