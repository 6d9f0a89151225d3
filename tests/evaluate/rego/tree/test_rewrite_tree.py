"""rewrite_tree (tree/__init__.py): every rewrite on one parse, lines kept, text it cannot
parse handed back as it came."""
from __future__ import annotations

import pytest

from gitops_guard.evaluate.rego.tree import rewrite_tree
from tests.evaluate.rego.tree.test_else_value import ELSE_VALUE
from tests.evaluate.rego.tree.test_negation import NOT_ARGS
from tests.evaluate.rego.tree.test_some import SOME_AFTER_LOOP
from tests.evaluate.rego.tree.test_with_mods import WITH_BY_NAME


@pytest.mark.parametrize("source", [SOME_AFTER_LOOP, ELSE_VALUE, NOT_ARGS, WITH_BY_NAME])
def test_rewritten_policy_keeps_every_line(source: str) -> None:
    text = rewrite_tree(source, "v1", "t.rego", "main", frozenset({"allowed", "deny", "fake"}))
    assert text != source
    assert text.count("\n") == source.count("\n")


@pytest.mark.parametrize("source", [
    "package p\nimport rego.v1\nq := 1\n",  # nothing worth a parse
    "package p\nq := 1 +\nr := 2 with input as 3\n",  # regorus reports the error on load
])
def test_text_left_as_it_came(source: str) -> None:
    assert rewrite_tree(source, "v1", "t.rego") == source

