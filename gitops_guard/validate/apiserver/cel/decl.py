"""Declaring cel-expr-python custom functions: one overload id scheme for the library."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cel_expr_python import cel


def overload(name: str, result: Any, params: list[Any], impl: Callable[..., Any],
             member: bool = False) -> Any:
    types = "_".join(t.name() for t in params)
    return cel.Overload(f"k8s_{name}_{types}", result, params, is_member=member, impl=impl)


def fn(name: str, *overloads: Any) -> Any:
    return cel.FunctionDecl(name, list(overloads))
