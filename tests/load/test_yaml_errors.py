"""YAML errors as GG001 findings (gitops_guard/load/yaml_errors.py): at the problem's
line and column, naming where the construct it broke began, nothing cut short."""
from __future__ import annotations

import pytest

from gitops_guard.load.base import LoadLimits
from gitops_guard.load.yaml import load_yaml


@pytest.mark.parametrize(("text", "line", "column", "message"), [
    ("a:\n\tb: 1\n", 2, 1, "while scanning for the next token; found character that cannot "
     "start any token (a tab: YAML does not allow tabs for indentation)"),
    ("a: *nope\n", 1, 4, "found undefined alias 'nope'"),
    ("a: 1\nb: \x07\n", 2, 4, "unacceptable character U+0007: control characters are not "
     "allowed"),
    ("a:\n  b: 1\n c: 2\n", 3, 2, "while parsing a block mapping (line 1, column 1); did not "
     "find expected key"),
    ("a: [1, 2\nb: 3\n", 2, 2, "while parsing a flow sequence (line 1, column 4); did not "
     "find expected ',' or ']'"),
    ("k: 'x\n", 2, 1, "while scanning a quoted scalar (line 1, column 4); found unexpected "
     "end of stream"),
], ids=["tab", "undefined alias", "control character", "block mapping", "flow sequence",
        "unclosed quote"])
def test_a_syntax_error_is_one_located_gg001(text: str, line: int, column: int,
                                             message: str) -> None:
    result = load_yaml(text.encode(), "f.yaml", LoadLimits())
    assert result.documents == []
    [(rule, where, said)] = [(f.rule_id, (f.location.path, f.location.line,
                                          f.location.column), f.message)
                             for f in result.findings]
    assert (rule, where, said) == ("GG001", ("f.yaml", line, column),
                                   f"invalid YAML: {message}")
