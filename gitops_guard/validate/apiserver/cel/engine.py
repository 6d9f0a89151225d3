"""The offline CEL environment: cel-expr-python (CEL C++) with Kubernetes' libraries.

One environment, built on first use; each expression is compiled once and cached, so a
CRD rule checked against a thousand resources is compiled one time. Variables are typed
`dyn` (the API server types them from the schema): a rule that only a typed environment
would run raises an evaluation error here, which is reported as not evaluated (GG237),
never as a failed rule. The CEL library (a 16 MB extension) is loaded on first use, so a
run with no CRD rules and no admission policies never loads it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

VARIABLES = ("self", "oldSelf", "object", "oldObject", "request", "params", "namespaceObject",
             "authorizer", "variables")


_COMPILER_ERROR = re.compile(r"ERROR: <input>:\d+:\d+: ([^\n]*)")


class CelError(Exception):
    """An expression that does not compile, or that errs on the given data."""


@dataclass(frozen=True)
class Result:
    value: Any = None
    error: str = ""  # set when evaluation failed


@dataclass
class CelEngine:
    """Compiles and evaluates CEL expressions, caching compiled programs by text."""

    _env: Any = None
    _error_type: Any = None
    _programs: dict[str, Any] = field(default_factory=dict)
    _broken: dict[str, str] = field(default_factory=dict)

    def _environment(self) -> Any:
        if self._env is None:
            from cel_expr_python import cel
            from cel_expr_python.ext import (
                ext_bindings,
                ext_encoders,
                ext_math,
                ext_optional,
                ext_strings,
            )

            from gitops_guard.validate.apiserver.cel.library import extension

            self._error_type = cel.Type.ERROR
            self._env = cel.NewEnv(
                variables={name: cel.Type.DYN for name in VARIABLES},
                extensions=[ext_strings.ExtStrings(), ext_optional.ExtOptional(),
                            ext_math.ExtMath(), ext_encoders.ExtEncoders(),
                            ext_bindings.ExtBindings(), extension()])
        return self._env

    def compile(self, expression: str) -> Any:
        """The compiled program, or CelError with the compiler's first line."""
        found = self._programs.get(expression)
        if found is not None:
            return found
        if expression in self._broken:
            raise CelError(self._broken[expression])
        try:
            program = self._environment().compile(expression)
        except (RuntimeError, ValueError) as exc:
            message = _first_error(str(exc))
            self._broken[expression] = message
            raise CelError(message) from None
        self._programs[expression] = program
        return program

    def evaluate(self, expression: str, data: dict[str, Any]) -> Result:
        program = self.compile(expression)
        try:
            value = program.eval(data=data)
        except (RuntimeError, ValueError, TypeError) as exc:
            return Result(error=_first_error(str(exc)))
        if value.type() == self._error_type:
            return Result(error=str(value.value()))
        return Result(value.plain_value())


def _first_error(text: str) -> str:
    """The compiler's first complaint without its position banner and source excerpt."""
    match = _COMPILER_ERROR.search(text)
    if match:
        return match.group(1).strip()
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first or "invalid expression"
