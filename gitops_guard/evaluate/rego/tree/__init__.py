"""Rewrites that need regorus's syntax tree, for valid Rego that regorus then mis-runs.

Each module below holds one rewrite and says what it changes and why (the construct,
what regorus did, what OPA does); REWRITES runs them all on one parse:

- some.py: a bare `some i, j` after other statements moves to the front of its query.
- else_value.py: a rule's value bound by its body, with `else`, is computed in the body.
- with_mods.py: `with NAME as` targets the package's rule; a `with` value that reads
  anything is computed before the statement.
- negation.py: in `not f(input.x)` the arguments are computed before the `not`.
- shadowing.py: `name := ...` in a comprehension after `name` was read declares a new
  variable.

Positions come from the tree (syntax.py: byte offsets of the text handed to regorus), so
strings and comments are never touched; every line keeps its number. Text the tree cannot
be built for is returned unchanged: regorus reports the error when it loads it.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from gitops_guard.evaluate.rego.tree import else_value, negation, shadowing, some, with_mods
from gitops_guard.evaluate.rego.tree.syntax import Edit, Module, apply_edits, syntax_tree

REWRITES: tuple[Callable[[Module], list[Edit]], ...] = (
    some.edits, else_value.edits, with_mods.edits, negation.edits, shadowing.edits)

# text worth a parse: a bare `some a, b` (no `in`), `else`, `with`, `not`, or a
# comprehension with `:=`
_BARE_SOME = re.compile(r"\bsome\s+[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*\s*(?:[;\]}\n#]|$)")


def rewrite_tree(text: str, rego_version: str, path: str, package: str = "",
                 rules: frozenset[str] = frozenset()) -> str:
    """`rules`: the names of the (non-function) rules of the module's `package`."""
    if not (_BARE_SOME.search(text) or "else" in text or "with" in text or "not" in text
            or ("|" in text and ":=" in text)):
        return text
    tree = syntax_tree(text, rego_version, path)
    if tree is None:
        return text
    module = Module(text.encode("utf-8"), tree, package, rules, iter(range(1 << 30)))
    edits = [edit for rewrite in REWRITES for edit in rewrite(module)]
    return apply_edits(module.data, edits).decode("utf-8")
