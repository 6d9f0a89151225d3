"""Terms taken out of a statement into statements of their own just before it:
`__gg_wN := TERM; ` on the statement's line, the term's place holding `__gg_wN` (and its
line breaks, so every line keeps its number). Used by with_mods.py and negation.py."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from gitops_guard.evaluate.rego.tree.syntax import Edit, span

_TOKENS = re.compile(r'("(?:[^"\\\n]|\\.)*"|`[^`]*`|#[^\n]*)')


def hoist_terms(data: bytes, stmt: Any, terms: list[Any], counter: Iterator[int]) -> list[Edit]:
    """The edits that compute each term before `stmt`; none where that cannot be done."""
    edits: list[Edit] = []
    hoisted: list[bytes] = []
    for term in terms:
        try:
            start, end = span(term, data)
        except ValueError:
            return []
        flat = one_line(data[start:end].decode("utf-8"))
        if flat is None:
            continue
        name = b"__gg_w%d" % next(counter)
        hoisted.append(name + b" := " + flat.encode("utf-8") + b"; ")
        edits.append((start, end, name + b"\n" * data[start:end].count(b"\n")))
    at = int(stmt["span"]["start"])
    if not hoisted or not may_precede(data, at):
        return []
    return [*edits, (at, at, b"".join(hoisted))]


def may_precede(data: bytes, at: int) -> bool:
    """Whether a statement may be put before the one at `at` (not `p if expr`)."""
    i = at - 1
    while i >= 0 and data[i:i + 1] in b" \t\r":
        i -= 1
    return i < 0 or data[i:i + 1] in b"{|;\n"


def one_line(text: str) -> str | None:
    """The expression on one line, comments dropped; None for a multi-line raw string."""
    parts = _TOKENS.split(text)
    out: list[str] = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(part.replace("\n", " "))
        elif part.startswith("`") and "\n" in part:
            return None
        elif not part.startswith("#"):
            out.append(part)
    return "".join(out)
