"""OPA's regex.globs_match(glob1, glob2) in Python (builtins.py registers it): whether the
two globs match a common string, decided as OPA's library (yashtewari/glob-intersection,
which OPA calls) decides it, including its greedy choices.

Glob syntax: `.` any character, `[a-z0-9]` a set (ranges; no negation), `+` and `*` after
a token, `\\` escapes. A flag with nothing before it, `]` without `[`, an unclosed `[` or a
trailing `\\` is an error, as in OPA.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

CHAR, DOT, SET = 0, 1, 2
NONE, PLUS, STAR = 0, 1, 2


@dataclass
class Token:
    kind: int
    runes: frozenset[str] = frozenset()  # the character (one) or the set's characters
    flag: int = NONE

    def same(self, other: Token) -> bool:
        return self.kind == other.kind and self.runes == other.runes


def _invalid(text: str, at: int, why: str) -> ValueError:
    return ValueError(f"input:{text}, pos:{at}, {why}: the input provided is invalid")


def _rune(text: str, i: int) -> tuple[int, str, bool]:
    """(next index, character, escaped)."""
    if text[i] == "\\":
        if i == len(text) - 1:
            raise _invalid(text, i, "input ends with a \\ (escape) character")
        return i + 2, text[i + 1], True
    return i + 1, text[i], False


def _set(text: str, i: int) -> tuple[int, Token]:
    runes: set[str] = set()
    prev: str | None = None
    while i < len(text):
        i, r, escaped = _rune(text, i)
        if escaped:
            runes.add(r)
            prev = r
        elif r == "-":
            if prev is None:
                raise _invalid(text, i, "range character '-' must be preceded by a Unicode "
                               "character")
            if i >= len(text) - 1:
                raise _invalid(text, i, "range character '-' must be followed by a Unicode "
                               "character")
            i, end, escaped = _rune(text, i)
            if not escaped and end in "]-":
                raise _invalid(text, i, "range character '-' cannot be followed by a "
                               "special symbol")
            if end < prev:
                raise _invalid(text, i, f"range is out of order: '{end}' comes before "
                               f"'{prev}' in Unicode")
            runes.update(chr(c) for c in range(ord(prev), ord(end) + 1))
            prev = None
        elif r == "]":
            return i, Token(SET, frozenset(runes))
        else:
            runes.add(r)
            prev = r
    raise _invalid(text, i, "found [ without matching ]")


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        i, r, escaped = _rune(text, i)
        if not escaped and r == ".":
            token = Token(DOT)
        elif not escaped and r == "]":
            raise _invalid(text, i, "set-close ']' with no preceding '['")
        elif not escaped and r == "[":
            i, token = _set(text, i)
        elif not escaped and r in "+*":
            raise _invalid(text, i, f"flag '{r}' must be preceded by a non-flag")
        else:
            token = Token(CHAR, frozenset(r))
        if i < len(text) and text[i] in "+*":
            token.flag = PLUS if text[i] == "+" else STAR
            i += 1
        tokens.append(token)
    return _simplify(tokens)


def _simplify(tokens: list[Token]) -> list[Token]:
    """Adjacent equal flagged tokens merge (`a*a+` is `a+`)."""
    out: list[Token] = []
    for token in tokens:
        last = out[-1] if out else None
        if last is not None and token.flag and last.flag and token.same(last):
            last.flag = PLUS if PLUS in (token.flag, last.flag) else STAR
        else:
            out.append(token)
    return out


def match(a: Token, b: Token) -> bool:
    """Whether two tokens (flags aside) share a character."""
    if DOT in (a.kind, b.kind):
        return True
    return bool(a.runes & b.runes)


def _normal(g1: list[Token], g2: list[Token]) -> bool:
    for i in range(min(len(g1), len(g2))):
        if g1[i].flag == NONE and g2[i].flag == NONE:
            if not match(g1[i], g2[i]):
                return False
        else:
            return _special(g1[i:], g2[i:])
    return len(g1) == len(g2)


def _special(g1: list[Token], g2: list[Token]) -> bool:
    flagged, other = (g1, g2) if g1[0].flag != NONE else (g2, g1)
    if flagged[0].flag == PLUS:
        if not match(flagged[0], other[0]):
            return False
        # the plussed token takes other[0], or a flagged other[0] takes the plussed token
        return _star(flagged, other[1:]) or (other[0].flag != NONE
                                              and _normal(flagged[1:], other))
    return _star(flagged, other)


def _star(starred: list[Token], other: list[Token]) -> bool:
    star = starred[0]
    following = starred[1] if len(starred) > 1 else None
    for i, token in enumerate(other):
        if following is not None and match(token, following) and _normal(starred[1:],
                                                                         other[i:]):
            return True
        if not match(token, star):
            return False
    return following is None


def globs_match(first: Any, second: Any) -> bool:
    if not isinstance(first, str) or not isinstance(second, str):
        raise ValueError("regex.globs_match: operands must be strings")
    g1, g2 = tokenize(first), tokenize(second)
    left = 0
    while (left < len(g1) and left < len(g2) and g1[left].flag == NONE
           and g2[left].flag == NONE):
        if not match(g1[left], g2[left]):
            return False
        left += 1
    left = max(left - 1, 0)  # one prefix token stays: empty globs break the walk
    r1, r2 = len(g1) - 1, len(g2) - 1
    while r1 >= left and r2 >= left and g1[r1].flag == NONE and g2[r2].flag == NONE:
        if not match(g1[r1], g2[r2]):
            return False
        r1, r2 = r1 - 1, r2 - 1
    if r1 < len(g1) - 1:  # and one suffix token
        r1, r2 = r1 + 1, r2 + 1
    return _normal(g1[left:r1 + 1], g2[left:r2 + 1])


GLOB: dict[str, tuple[int, Callable[..., Any]]] = {"regex.globs_match": (2, globs_match)}
