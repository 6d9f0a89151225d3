"""The scanner of Flux's envsubst (fluxcd/pkg/envsubst, parse/scan.go): it cuts the text into
the parser's tokens, in the mode and with the escapes and accept function the parser sets."""
from __future__ import annotations

from collections.abc import Callable

# scanner modes and escapes (the Go scanner's bit sets)
IDENT, LBRACK, RBRACK, ESCAPE = 1, 2, 4, 8
DOLLAR, BACKSLASH = 1, 2
EOF = ""
T_ILLEGAL, T_EOF, T_IDENT, T_LBRACK, T_RBRACK = range(5)

Accept = Callable[[str, int], bool]


def accept_any(r: str, i: int) -> bool:
    return True


class Scanner:
    def __init__(self, buf: str) -> None:
        self.buf, self.pos, self.start, self.width = buf, 0, 0, 0
        self.mode, self.escapes = 0, 0
        self.accept: Accept = accept_any

    def read(self) -> str:
        if self.pos >= len(self.buf):
            self.width = 0
            return EOF
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
        if r == EOF:
            return T_EOF
        if self._lbrack(r):
            return T_LBRACK
        if self.mode & RBRACK and r == "}":
            return T_RBRACK
        if self._ident(r):
            return T_IDENT
        return T_ILLEGAL

    def _lbrack(self, r: str) -> bool:
        if not self.mode & LBRACK or r != "$":
            return False
        if self.read() == "{":
            return True
        self.unread()
        return False

    def _escaped(self, r: str) -> bool:
        if not self.mode & ESCAPE:
            return False
        if r == "$" and self.escapes & DOLLAR and self.peek() == "$":
            return True
        return r == "\\" and bool(self.escapes & BACKSLASH) and self.peek() in ("/", "\\")

    def _ident(self, r: str) -> bool:
        if not self.mode & IDENT:
            return False
        if self._escaped(r):
            self.skip()
        elif not self.accept(r, self.pos - self.start):
            return False
        while True:
            r = self.read()
            if r == EOF:
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

