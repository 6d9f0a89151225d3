"""YAML errors as GG001 findings: where both ends of the problem are, nothing cut short."""
from __future__ import annotations

import re

import yaml

from gitops_guard.load.base import INVALID_SYNTAX, load_finding
from gitops_guard.model import Finding

_ALIAS = re.compile(r"\*([^\s,\[\]{}]+)")


def syntax_finding(exc: yaml.MarkedYAMLError, path: str, text: str) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    context = exc.context
    if context and exc.context_mark is not None and exc.context_mark is not mark and (
            exc.context_mark.line != getattr(mark, "line", None)):
        # "while parsing a block mapping" / "first occurrence": say where, or it reads cut short
        context += f" (line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1})"
    problem = exc.problem
    if problem == "found undefined alias" and mark is not None:  # libyaml leaves out the name
        alias = _ALIAS.match(text, mark.index)
        problem += f" {alias[1]!r}" if alias else ""
    parts = [p for p in (context, problem) if p]
    message = "; ".join(parts) or "invalid YAML"
    if mark is not None and text[mark.index:mark.index + 1] == "\t":
        message += " (a tab: YAML does not allow tabs for indentation)"
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    return load_finding(INVALID_SYNTAX, f"invalid YAML: {message}", path, line, col)


def reader_finding(exc: yaml.reader.ReaderError, path: str, text: str) -> Finding:
    offset = min(max(exc.position, 0), len(text))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or " ")
    return load_finding(
        INVALID_SYNTAX, f"invalid YAML: unacceptable character U+{char:04X}: {exc.reason}",
        path, line, column)
