"""Semantic versions and constraints as Helm resolves them (Masterminds semver v3).

Versions are lenient (`v1.2`, `1.2` = 1.2.0). Constraints: `=`, `!=`, `>`, `<`, `>=`,
`<=` (also `=>`, `=<`), `~` / `~>`, `^`, wildcards `x`/`X`/`*`, hyphen ranges
`1.2 - 1.4.5`, AND with `,` or spaces, OR with `||`. A missing or wildcard part makes
a constraint "dirty" (`1.2` means `1.2.x`). A pre-release version satisfies a
constraint only if the constraint names a pre-release, as Helm does.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

_VERSION = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?"
                      r"(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$")
_PART = r"(?:\d+|[xX*])"
_TERM = re.compile(rf"^\s*(!=|>=|=>|<=|=<|~>|[=<>~^])?\s*v?({_PART}(?:\.{_PART}){{0,2}}"
                   r"(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)\s*$")
_HYPHEN = re.compile(r"^\s*(\S+)\s+-\s+(\S+)\s*$")


class ConstraintError(ValueError):
    """A version constraint that does not parse."""


class Version(NamedTuple):
    major: int
    minor: int
    patch: int
    pre: str
    text: str  # as written (the tag / index entry)

    def key(self) -> tuple[int, int, int, int, tuple[tuple[int, int | str], ...]]:
        """Sort key with semver precedence: a release sorts after its pre-releases."""
        parts: tuple[tuple[int, int | str], ...] = tuple(
            (0, int(p)) if p.isdigit() else (1, p) for p in self.pre.split(".")) if self.pre \
            else ()
        return (self.major, self.minor, self.patch, 0 if self.pre else 1, parts)


def parse_version(text: str) -> Version | None:
    match = _VERSION.match(text.strip())
    if not match:
        return None
    major, minor, patch, pre, _ = match.groups()
    return Version(int(major), int(minor or 0), int(patch or 0), pre or "", text)


@dataclass(frozen=True)
class _Term:
    op: str
    version: Version
    minor_dirty: bool
    patch_dirty: bool

    @property
    def dirty(self) -> bool:
        return self.minor_dirty or self.patch_dirty

    def allows(self, v: Version) -> bool:
        if v.pre and not self.version.pre:
            return False
        c = self.version
        cmp = (v.key() > c.key()) - (v.key() < c.key())
        if self.op == "!=":
            return not self._near(v) if self.dirty else cmp != 0
        if self.op == ">":
            if not self.dirty:
                return cmp > 0
            if v.major != c.major:
                return v.major > c.major
            return False if self.minor_dirty else v.minor > c.minor
        if self.op == "<":
            return cmp < 0
        if self.op == ">=":
            return cmp >= 0
        if self.op == "<=":
            if not self.dirty:
                return cmp <= 0
            if v.major != c.major:
                return v.major < c.major
            return True if self.minor_dirty else v.minor <= c.minor
        if self.op == "~":
            return cmp >= 0 and self._near(v)
        if self.op == "^":
            if cmp < 0:
                return False
            if c.major > 0 or self.minor_dirty:
                return v.major == c.major
            if c.minor > 0 or self.patch_dirty:
                return v.major == 0 and v.minor == c.minor
            return v.major == 0 and v.minor == 0 and v.patch == c.patch
        # "=" or none: exact, or tilde when dirty (`1.2` means `1.2.x`)
        return (cmp >= 0 and self._near(v)) if self.dirty else cmp == 0

    def _near(self, v: Version) -> bool:
        c = self.version
        return v.major == c.major and (self.minor_dirty or v.minor == c.minor)


def _term(text: str) -> _Term:
    match = _TERM.match(text)
    if not match:
        raise ConstraintError(f"not a version constraint: {text.strip()!r}")
    op = {"=>": ">=", "=<": "<=", "~>": "~", "": "="}.get(match.group(1) or "",
                                                          match.group(1) or "=")
    raw = match.group(2)
    core, _, pre = raw.split("+", 1)[0].partition("-")
    parts = (core.split(".") + [""] * 3)[:3]
    wild = [part in ("x", "X", "*", "") for part in parts]
    if wild[0]:
        return _Term(">=", Version(0, 0, 0, "", "0.0.0"), True, True)
    numbers = [0 if w else int(part) for part, w in zip(parts, wild, strict=True)]
    return _Term(op, Version(numbers[0], numbers[1], numbers[2], pre, raw), wild[1],
                 wild[1] or wild[2])


@dataclass(frozen=True)
class Constraint:
    any_of: tuple[tuple[_Term, ...], ...]

    def allows(self, version: Version) -> bool:
        return any(all(t.allows(version) for t in group) for group in self.any_of)


def parse_constraint(text: str) -> Constraint:
    """`""` and `*` mean any release (the newest wins)."""
    groups: list[tuple[_Term, ...]] = []
    for alternative in (text.strip() or "*").split("||"):
        hyphen = _HYPHEN.match(alternative)
        if hyphen:
            groups.append((_term(">=" + hyphen.group(1)), _term("<=" + hyphen.group(2))))
            continue
        pieces = re.findall(r"(?:!=|>=|=>|<=|=<|~>|[=<>~^])?\s*[^\s,]+", alternative)
        if not pieces:
            raise ConstraintError(f"not a version constraint: {text!r}")
        groups.append(tuple(_term(p) for p in pieces))
    return Constraint(tuple(groups))


def best_match(wanted: str, available: Iterable[str]) -> str | None:
    """The newest of `available` that `wanted` allows; an exact string match wins first
    (Helm looks an exact version up before treating it as a constraint)."""
    candidates = list(available)
    if wanted and wanted in candidates:
        return wanted
    constraint = parse_constraint(wanted)
    best: Version | None = None
    for text in candidates:
        version = parse_version(text)
        if version is not None and constraint.allows(version) and (
                best is None or version.key() > best.key()):
            best = version
    return best.text if best else None
