"""The parser of Flux's envsubst (fluxcd/pkg/envsubst, parse/parse.go): text to a tree of
literal text and `${...}` function nodes, failing where the Go parser fails."""
from __future__ import annotations

from dataclasses import dataclass, field

from gitops_guard.errors import GuardError
from gitops_guard.render.flux.envsubst_scan import (
    BACKSLASH,
    DOLLAR,
    EOF,
    ESCAPE,
    IDENT,
    LBRACK,
    RBRACK,
    T_EOF,
    T_IDENT,
    T_LBRACK,
    T_RBRACK,
    Accept,
    Scanner,
    accept_any,
)


class SubstitutionError(GuardError):
    """The text does not parse as envsubst input: kustomize-controller fails the build."""


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

@dataclass
class Func:
    param: str
    name: str = ""
    args: list[Node] = field(default_factory=list)


Node = str | Func | list["Node"]  # text, a ${...}, or a sequence


class Parser:
    def __init__(self, text: str) -> None:
        self.s = Scanner(text)

    def any(self) -> list[Node]:
        out: list[Node] = []
        while True:
            s = self.s
            s.accept, s.mode, s.escapes = accept_any, IDENT | LBRACK | ESCAPE, DOLLAR
            token = s.scan()
            if token == T_EOF:
                return out
            if token == T_IDENT:
                out.append(s.text())
            elif token == T_LBRACK:
                out.append(self.func())
            else:
                raise SubstitutionError("bad substitution")

    def func(self) -> Func:
        s = self.s
        s.escapes = DOLLAR | BACKSLASH
        if s.peek() == "#":
            return self.length()
        s.accept, s.mode = _ident, IDENT
        if s.scan() != T_IDENT:
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
        s.accept, s.mode = _ident, RBRACK
        if s.scan() != T_RBRACK:
            raise SubstitutionError("missing closing brace")
        return Func(name)

    def param(self, accept: Accept, mode: int) -> Node:
        s = self.s
        s.accept, s.mode = accept, mode | LBRACK
        token = s.scan()
        if token == T_LBRACK:
            return self.func()
        if token in (T_IDENT, T_RBRACK):
            return s.text()
        raise SubstitutionError("unable to parse substitution within function")

    def op(self, node: Func, accept: Accept, error: str = "bad substitution") -> None:
        self.s.accept, self.s.mode = accept, IDENT
        if self.s.scan() != T_IDENT:
            raise SubstitutionError(error)
        node.name = self.s.text()

    def close(self) -> None:
        self.s.mode = RBRACK
        if self.s.scan() != T_RBRACK:
            raise SubstitutionError("bad substitution")

    def default_or_substr(self, name: str) -> Func:
        s = self.s
        s.read()
        r = s.peek()
        s.unread()
        return self.default(name) if r in ("=", "-", "?", "+") else self.substr(name)

    def substr(self, name: str) -> Func:
        node = Func(name)
        self.op(node, _one_colon)
        node.args.append(self.param(_not_colon_close, IDENT))
        self.s.accept, self.s.mode = _colons, IDENT | RBRACK
        token = self.s.scan()
        if token == T_RBRACK:
            return node
        if token != T_IDENT:
            raise SubstitutionError("bad substitution")
        node.args.append(self.param(_not_closing, IDENT))
        self.close()
        return node

    def remove(self, name: str, accept: Accept) -> Func:
        node = Func(name)
        self.op(node, accept)
        node.args.append(self.param(_not_closing, IDENT))
        self.close()
        return node

    def replace(self, name: str) -> Func:
        node = Func(name)
        self.op(node, _replace_func)
        node.args.append(self.param(_not_slash, IDENT | ESCAPE))
        self.s.accept, self.s.mode = _slashes, IDENT
        if self.s.scan() != T_IDENT:
            raise SubstitutionError("bad substitution")
        if self.s.peek() != "}":
            node.args.append(self.param(_not_closing, IDENT | ESCAPE))
        self.close()
        return node

    def default(self, name: str) -> Func:
        node = Func(name)
        self.op(node, _one_equal if self.s.peek() == "=" else _default_func,
                "unable to parse default function")
        while self.s.peek() != "}":
            if self.s.peek() == EOF:
                raise SubstitutionError("missing closing brace")
            node.args.append(self.param(_not_closing, IDENT))
        self.close()
        return node

    def simple(self, name: str, accept: Accept) -> Func:
        node = Func(name)
        self.op(node, accept)
        self.close()
        return node

    def length(self) -> Func:
        node = Func("")
        self.op(node, _one_hash)
        self.s.accept, self.s.mode = _ident, IDENT
        if self.s.scan() != T_IDENT:
            raise SubstitutionError("bad substitution")
        node.param = self.s.text()
        self.close()
        return node
