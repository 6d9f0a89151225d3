"""Errors of the Rego side: all exit 2 through GuardError."""
from __future__ import annotations

import re

from gitops_guard.errors import GuardError

_LOCATION = re.compile(r"-->\s*(?P<file>.+?):(?P<line>\d+):(?P<col>\d+)")
_MESSAGE = re.compile(r"^\s*error:\s*(?P<msg>.+)$", re.MULTILINE)


class RegoError(GuardError):
    """A policy cannot be loaded or evaluated (bad result shape, runtime error)."""


class RegoEvalError(RegoError):
    """Evaluation failed on one input (`index` in the batch)."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index, self.detail = index, message

    def __reduce__(self) -> tuple[type[RegoEvalError], tuple[int, str]]:
        return type(self), (self.index, self.detail)  # crosses the contained engine's pipe


class RegoSyntaxError(RegoError):
    """A policy does not parse or compile; names the file and line."""

    def __init__(self, file: str, line: int, column: int, message: str) -> None:
        where = f"{file}:{line}:{column}" if line else file
        super().__init__(f"{where}: rego error: {message}")
        self.file, self.line, self.column, self.detail = file, line, column, message

    def __reduce__(self) -> tuple[type[RegoSyntaxError], tuple[str, int, int, str]]:
        return type(self), (self.file, self.line, self.column, self.detail)


def clean_engine_message(text: str) -> str:
    """Drop the Rust backtrace regorus appends to its messages."""
    return text.split("Stack backtrace:", 1)[0].strip()


def syntax_error_from_regorus(text: str, fallback_file: str) -> RegoSyntaxError:
    """Turn a regorus parse/compile message into a RegoSyntaxError naming file:line."""
    text = clean_engine_message(text)
    loc = _LOCATION.search(text)
    msg = _MESSAGE.search(text)
    message = msg.group("msg").strip() if msg else text.splitlines()[-1] if text else "error"
    if loc is None:
        return RegoSyntaxError(fallback_file, 0, 0, message)
    return RegoSyntaxError(loc.group("file"), int(loc.group("line")), int(loc.group("col")),
                           message)
