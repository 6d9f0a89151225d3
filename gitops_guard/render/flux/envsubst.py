"""Flux's `envsubst` (fluxcd/pkg/envsubst, a drone/envsubst fork), as postBuild runs it.

The same grammar as the Go scanner and parser, so the same text substitutes the same
way and the same mistakes fail: `${var}`, `${#var}`, `${var^}` `${var^^}` `${var,}`
`${var,,}`, `${var:n}` `${var:n:len}`, `${var#p}` `${var##p}` `${var%p}` `${var%%p}`,
`${var/p/r}` `${var//p/r}` `${var/#p/r}` `${var/%p/r}`, `${var=d}` `${var:=d}`
`${var:-d}` (and `:?`, `:+`, which also act as a default). Every default applies when
the value is empty or unset (non-strict mode, the controller's default). `$$` is a
literal `$`, so `$${var}` stays `${var}`. `${var-d}` is a syntax error, as in Flux.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from gitops_guard.errors import GuardError


class SubstitutionError(GuardError):
    """The text does not parse as envsubst input: kustomize-controller fails the build."""


# scanner modes and escapes (the Go scanner's bit sets)
_IDENT, _LBRACK, _RBRACK, _ESCAPE = 1, 2, 4, 8
_DOLLAR, _BACKSLASH = 1, 2
_EOF = ""
_T_ILLEGAL, _T_EOF, _T_IDENT, _T_LBRACK, _T_RBRACK = range(5)

Accept = Callable[[str, int], bool]


def _any(r: str, i: int) -> bool:
    return True


def _ident(r: str, i: int) -> bool:
    return r.isalnum() or r == "_"


def _colons(r: str, i: int) -> bool:
    return r == ":"


def _one_hash(r: str, i: int) -> bool:
    return r == "#" and i == 1


def _not_closing(r: str, i: int) -> bool:
    return r != "}"


def _hash_func(r: str, i: int) -> bool:
    return r == "#" and i < 3


def _percent_func(r: str, i: int) -> bool:
    return r == "%" and i < 3


def _default_func(r: str, i: int) -> bool:
    return (i == 1 and r == ":") or (i == 2 and r in "=-?+")


def _replace_func(r: str, i: int) -> bool:
    return (i == 1 and r == "/") or (i == 2 and r in "/#%")


def _one_equal(r: str, i: int) -> bool:
    return i == 1 and r == "="


def _one_colon(r: str, i: int) -> bool:
    return i == 1 and r == ":"


def _not_colon_close(r: str, i: int) -> bool:
    return r not in ":}"


def _slashes(r: str, i: int) -> bool:
    return r == "/"


def _not_slash(r: str, i: int) -> bool:
    return r != "/"


def _casing(r: str, i: int) -> bool:
    return r in ",^" and i < 3


class _Scanner:
    def __init__(self, buf: str) -> None:
        self.buf, self.pos, self.start, self.width = buf, 0, 0, 0
        self.mode, self.escapes = 0, 0
        self.accept: Accept = _any

    def read(self) -> str:
        if self.pos >= len(self.buf):
            self.width = 0
            return _EOF
        self.width = 1
        self.pos += 1
        return self.buf[self.pos - 1]

    def unread(self) -> None:
        self.pos -= self.width

    def skip(self) -> None:  # drop the escape character just read
        self.buf = self.buf[: self.pos - 1] + self.buf[self.pos:]

    def peek(self) -> str:
        r = self.read()
        self.unread()
        return r

    def text(self) -> str:
        return self.buf[self.start:self.pos]

    def scan(self) -> int:
        self.start = self.pos
        r = self.read()
        if r == _EOF:
            return _T_EOF
        if self._lbrack(r):
            return _T_LBRACK
        if self.mode & _RBRACK and r == "}":
            return _T_RBRACK
        if self._ident(r):
            return _T_IDENT
        return _T_ILLEGAL

    def _lbrack(self, r: str) -> bool:
        if not self.mode & _LBRACK or r != "$":
            return False
        if self.read() == "{":
            return True
        self.unread()
        return False

    def _escaped(self, r: str) -> bool:
        if not self.mode & _ESCAPE:
            return False
        if r == "$" and self.escapes & _DOLLAR and self.peek() == "$":
            return True
        return r == "\\" and bool(self.escapes & _BACKSLASH) and self.peek() in ("/", "\\")

    def _ident(self, r: str) -> bool:
        if not self.mode & _IDENT:
            return False
        if self._escaped(r):
            self.skip()
        elif not self.accept(r, self.pos - self.start):
            return False
        while True:
            r = self.read()
            if r == _EOF:
                self.unread()
                return True
            if self._lbrack(r):
                self.unread()
                self.unread()
                return True
            if self._escaped(r):
                self.skip()
                continue
            if not self.accept(r, self.pos - self.start):
                self.unread()
                return True


@dataclass
class _Func:
    param: str
    name: str = ""
    args: list[_Node] = field(default_factory=list)


_Node = str | _Func | list["_Node"]  # text, a ${...}, or a sequence


class _Parser:
    def __init__(self, text: str) -> None:
        self.s = _Scanner(text)

    def any(self) -> list[_Node]:
        out: list[_Node] = []
        while True:
            s = self.s
            s.accept, s.mode, s.escapes = _any, _IDENT | _LBRACK | _ESCAPE, _DOLLAR
            token = s.scan()
            if token == _T_EOF:
                return out
            if token == _T_IDENT:
                out.append(s.text())
            elif token == _T_LBRACK:
                out.append(self.func())
            else:
                raise SubstitutionError("bad substitution")

    def func(self) -> _Func:
        s = self.s
        s.escapes = _DOLLAR | _BACKSLASH
        if s.peek() == "#":
            return self.length()
        s.accept, s.mode = _ident, _IDENT
        if s.scan() != _T_IDENT:
            raise SubstitutionError("unable to parse variable name")
        name = s.text()
        nxt = s.peek()
        if nxt == ":":
            return self.default_or_substr(name)
        if nxt == "=":
            return self.default(name)
        if nxt in (",", "^"):
            return self.simple(name, _casing)
        if nxt == "/":
            return self.replace(name)
        if nxt == "#":
            return self.remove(name, _hash_func)
        if nxt == "%":
            return self.remove(name, _percent_func)
        s.accept, s.mode = _ident, _RBRACK
        if s.scan() != _T_RBRACK:
            raise SubstitutionError("missing closing brace")
        return _Func(name)

    def param(self, accept: Accept, mode: int) -> _Node:
        s = self.s
        s.accept, s.mode = accept, mode | _LBRACK
        token = s.scan()
        if token == _T_LBRACK:
            return self.func()
        if token in (_T_IDENT, _T_RBRACK):
            return s.text()
        raise SubstitutionError("unable to parse substitution within function")

    def op(self, node: _Func, accept: Accept, error: str = "bad substitution") -> None:
        self.s.accept, self.s.mode = accept, _IDENT
        if self.s.scan() != _T_IDENT:
            raise SubstitutionError(error)
        node.name = self.s.text()

    def close(self) -> None:
        self.s.mode = _RBRACK
        if self.s.scan() != _T_RBRACK:
            raise SubstitutionError("bad substitution")

    def default_or_substr(self, name: str) -> _Func:
        s = self.s
        s.read()
        r = s.peek()
        s.unread()
        return self.default(name) if r in ("=", "-", "?", "+") else self.substr(name)

    def substr(self, name: str) -> _Func:
        node = _Func(name)
        self.op(node, _one_colon)
        node.args.append(self.param(_not_colon_close, _IDENT))
        self.s.accept, self.s.mode = _colons, _IDENT | _RBRACK
        token = self.s.scan()
        if token == _T_RBRACK:
            return node
        if token != _T_IDENT:
            raise SubstitutionError("bad substitution")
        node.args.append(self.param(_not_closing, _IDENT))
        self.close()
        return node

    def remove(self, name: str, accept: Accept) -> _Func:
        node = _Func(name)
        self.op(node, accept)
        node.args.append(self.param(_not_closing, _IDENT))
        self.close()
        return node

    def replace(self, name: str) -> _Func:
        node = _Func(name)
        self.op(node, _replace_func)
        node.args.append(self.param(_not_slash, _IDENT | _ESCAPE))
        self.s.accept, self.s.mode = _slashes, _IDENT
        if self.s.scan() != _T_IDENT:
            raise SubstitutionError("bad substitution")
        if self.s.peek() != "}":
            node.args.append(self.param(_not_closing, _IDENT | _ESCAPE))
        self.close()
        return node

    def default(self, name: str) -> _Func:
        node = _Func(name)
        self.op(node, _one_equal if self.s.peek() == "=" else _default_func,
                "unable to parse default function")
        while self.s.peek() != "}":
            if self.s.peek() == _EOF:
                raise SubstitutionError("missing closing brace")
            node.args.append(self.param(_not_closing, _IDENT))
        self.close()
        return node

    def simple(self, name: str, accept: Accept) -> _Func:
        node = _Func(name)
        self.op(node, accept)
        self.close()
        return node

    def length(self) -> _Func:
        node = _Func("")
        self.op(node, _one_hash)
        self.s.accept, self.s.mode = _ident, _IDENT
        if self.s.scan() != _T_IDENT:
            raise SubstitutionError("bad substitution")
        node.param = self.s.text()
        self.close()
        return node


def _glob(pattern: str) -> re.Pattern[str] | None:
    """Go's path.Match pattern as a regex (`*` and `?` stop at `/`); None when malformed."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "\\":
            if i + 1 >= len(pattern):
                return None
            i += 1
            out.append(re.escape(pattern[i]))
        elif c == "[":
            end = pattern.find("]", i + 2 if pattern[i + 1:i + 2] in ("^", "]") else i + 1)
            if end < 0:
                return None
            body = pattern[i + 1:end]
            out.append("[^/" + body[1:] + "]" if body.startswith("^") else f"[{body}]")
            i = end
        else:
            out.append(re.escape(c))
        i += 1
    try:
        return re.compile("".join(out), re.DOTALL)
    except re.error:
        return None


def _trim(s: str, pattern: str, longest: bool) -> str:
    glob = _glob(pattern)
    if glob is None:
        return s
    found = ""
    for i in range(len(s)):
        if glob.fullmatch(s[: len(s) - i]):
            found = s[: len(s) - i]
            if longest:
                break
    return s[len(found):] if found else s


def _substr(s: str, args: list[str]) -> str:
    try:
        pos = int(args[0])
    except ValueError:
        return s
    pos = max(len(s) + pos, 0) if pos < 0 else pos
    if len(args) == 1:
        return s[pos:]
    try:
        length = int(args[1])
    except ValueError:
        return s
    return s[pos:] if pos + length >= len(s) else s[pos:pos + length]


def _apply(name: str, v: str, args: list[str]) -> str:
    first = args[0] if args else ""
    if name == "" and not args:
        return v
    if name == "#":
        return str(len(v.encode())) if not args else _trim(v, first, False)
    if name in ("##", "%", "%%"):
        if name == "##":
            return _trim(v, first, True)
        return _trim(v[::-1], first[::-1], name == "%%")[::-1]
    if name in (",", ",,", "^", "^^"):
        change = str.lower if name[0] == "," else str.upper
        return change(v) if len(name) == 2 else change(v[:1]) + v[1:]
    if name[:1] in (",", "^"):  # "^," and the like parse, and act as a plain ${var}
        return v
    if name == ":":
        return _substr(v, args)
    if name in ("/", "//"):
        return v.replace(first, args[1] if len(args) > 1 else "", 1 if name == "/" else -1)
    if name == "/#":
        return args[1] + v[len(first):] if len(args) == 2 and v.startswith(first) else v
    if name == "/%":
        return v[: len(v) - len(first)] + args[1] if len(args) == 2 and v.endswith(first) else v
    return v if v or not args else "".join(args)  # every default operator


def _eval(node: _Node, variables: Mapping[str, str]) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, list):
        return "".join(_eval(n, variables) for n in node)
    args = [_eval(a, variables) for a in node.args]
    return _apply(node.name, variables.get(node.param, ""), args)


def envsubst(text: str, variables: Mapping[str, str]) -> str:
    """`text` with every `${...}` expanded from `variables` (unset = empty), as Flux does."""
    if "$" not in text:
        return text
    return _eval(_Parser(text).any(), variables)
