"""render/flux/envsubst_scan.py: the tokens Flux's envsubst scanner cuts, per mode."""
from __future__ import annotations

import pytest

from gitops_guard.render.flux.envsubst_scan import (
    BACKSLASH,
    DOLLAR,
    ESCAPE,
    IDENT,
    LBRACK,
    RBRACK,
    T_EOF,
    T_IDENT,
    T_ILLEGAL,
    T_LBRACK,
    T_RBRACK,
    Scanner,
)


def tokens(text: str, mode: int, escapes: int = 0) -> list[tuple[int, str]]:
    scanner = Scanner(text)
    scanner.mode, scanner.escapes = mode, escapes
    out: list[tuple[int, str]] = []
    while (token := scanner.scan()) != T_EOF:
        out.append((token, scanner.text()))
        if token == T_ILLEGAL:
            break
    return out


@pytest.mark.parametrize(("text", "mode", "escapes", "expected"), [
    ("abc", IDENT, 0, [(T_IDENT, "abc")]),
    ("a${b}c", IDENT | LBRACK | RBRACK, 0,  # the parser's accept function ends a name
     [(T_IDENT, "a"), (T_LBRACK, "${"), (T_IDENT, "b}c")]),
    ("}c", RBRACK | IDENT, 0, [(T_RBRACK, "}"), (T_IDENT, "c")]),
    ("${", LBRACK, 0, [(T_LBRACK, "${")]),
    ("$x", LBRACK, 0, [(T_ILLEGAL, "$")]),  # a dollar without a brace opens nothing
    ("}", IDENT, 0, [(T_IDENT, "}")]),  # a brace closes only in RBRACK mode
    ("a$${b}", IDENT | LBRACK | ESCAPE, DOLLAR, [(T_IDENT, "a${b}")]),  # $$ escapes $
    ("a\\/b", IDENT | ESCAPE, BACKSLASH, [(T_IDENT, "a/b")]),
    ("a\\/b", IDENT, 0, [(T_IDENT, "a\\/b")]),  # no escapes outside ESCAPE mode
    ("", IDENT, 0, []),
])
def test_tokens(text: str, mode: int, escapes: int, expected: list[tuple[int, str]]) -> None:
    assert tokens(text, mode, escapes) == expected


def test_the_accept_function_ends_an_identifier() -> None:
    scanner = Scanner("ab1-cd")
    scanner.mode = IDENT
    scanner.accept = lambda r, i: r.isalnum()
    assert (scanner.scan(), scanner.text()) == (T_IDENT, "ab1")
    assert scanner.peek() == "-"
