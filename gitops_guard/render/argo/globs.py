"""The two glob dialects Argo CD uses, as regular expressions.

- `gobwas_match`: github.com/gobwas/glob without separators, as the repo-server
  matches `directory.include` / `exclude` against paths relative to the source dir:
  `*` and `**` match any run of characters *including* `/`, `?` one character,
  `[abc]` / `[!a-z]` classes, `{a,b}` alternatives (nestable), `\\` escapes.
- `path_match`: Go's `path.Match`, as the git directory generator matches
  `directories[].path`: `*` and `?` stop at `/`, `[^...]` negates, whole string only.
- `pathspec_match`: git's default pathspec matching (`git ls-files -- PATTERN`, the git
  files generator): fnmatch without FNM_PATHNAME, so `*` crosses `/`.
"""
from __future__ import annotations

import fnmatch
import re
from functools import lru_cache


def _class(pattern: str, i: int, negate_chars: str) -> tuple[str, int]:
    """Translate the `[...]` starting at pattern[i] ('['); returns (regex, next index)."""
    j = i + 1
    negated = j < len(pattern) and pattern[j] in negate_chars
    if negated:
        j += 1
    body = ""
    while j < len(pattern) and pattern[j] != "]":
        c = pattern[j]
        if c == "\\" and j + 1 < len(pattern):
            j += 1
            body += re.escape(pattern[j])
        elif c == "-":
            body += "-"
        else:
            body += re.escape(c)
        j += 1
    if j >= len(pattern):
        raise ValueError(f"unclosed [ in glob {pattern!r}")
    return f"[{'^' if negated else ''}{body}]", j + 1


@lru_cache(maxsize=256)
def _gobwas(pattern: str) -> re.Pattern[str]:
    out: list[str] = []
    depth = 0
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if c == "*":
            out.append(".*")
            while i + 1 < len(pattern) and pattern[i + 1] == "*":
                i += 1
        elif c == "?":
            out.append(".")
        elif c == "[":
            regex, i = _class(pattern, i, "!")
            out.append(regex)
            continue
        elif c == "{":
            depth += 1
            out.append("(?:")
        elif c == "}" and depth:
            depth -= 1
            out.append(")")
        elif c == "," and depth:
            out.append("|")
        else:
            out.append(re.escape(c))
        i += 1
    if depth:
        raise ValueError(f"unclosed {{ in glob {pattern!r}")
    return re.compile("".join(out) + r"\Z", re.S)


def gobwas_match(pattern: str, text: str) -> bool:
    """gobwas/glob.Compile(pattern).Match(text); an invalid pattern matches nothing
    (Argo CD logs it and moves on)."""
    try:
        return _gobwas(pattern).match(text) is not None
    except ValueError:
        return False


@lru_cache(maxsize=256)
def _go_path(pattern: str) -> re.Pattern[str]:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            regex, i = _class(pattern, i, "^")
            out.append(regex)
            continue
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z", re.S)


def path_match(pattern: str, name: str) -> bool:
    """Go's path.Match(pattern, name) (a malformed pattern matches nothing)."""
    try:
        return _go_path(pattern).match(name) is not None
    except ValueError:
        return False


def pathspec_match(pattern: str, path: str) -> bool:
    """`git ls-files -- pattern` membership for one repo-relative file path."""
    pattern = pattern.removeprefix("./")
    if not any(c in pattern for c in "*?["):  # a literal: the file, or a directory prefix
        return path == pattern or path.startswith(pattern.rstrip("/") + "/")
    return fnmatch.fnmatchcase(path, pattern)
