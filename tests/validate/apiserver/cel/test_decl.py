"""Declaring CEL functions (decl.py): overloads of one name for different argument types
live side by side (each gets its own id), members apply to a receiver, globals do not."""
from __future__ import annotations

from typing import Any

import pytest
from cel_expr_python import cel

from gitops_guard.validate.apiserver.cel.decl import fn, overload

STR, INT = cel.Type.STRING, cel.Type.INT
ENV = cel.NewEnv(variables={"self": cel.Type.DYN}, extensions=[cel.CelExtension("t", [
    fn("twice", overload("twice", STR, [STR], lambda x: x * 2, member=True),
       overload("twice", INT, [INT], lambda x: x * 2, member=True)),
    fn("shout", overload("shout", STR, [STR], lambda x: x.upper())),
])])


@pytest.mark.parametrize(("expression", "value"), [
    ("'ab'.twice()", "abab"), ("(3).twice()", 6), ("shout('a')", "A"), ("shout(self)", "X"),
])
def test_declared_functions_evaluate(expression: str, value: Any) -> None:
    assert ENV.compile(expression).eval(data={"self": "x"}).plain_value() == value


@pytest.mark.parametrize("expression", ["'a'.shout()", "twice('a')", "(1.5).twice()"])
def test_calls_outside_the_declarations_do_not_compile(expression: str) -> None:
    with pytest.raises((RuntimeError, ValueError)):
        ENV.compile(expression)
