"""Kubernetes' Quantity and Semver CEL libraries (k8s.io/apiserver pkg/cel/library
quantity.go, semverlib.go), as cel-expr-python overloads over `cel/values.py`'s values.

`compareTo`, `isGreaterThan` and `isLessThan` are declared once for both kinds and
dispatch on the receiver's kind, as the two libraries' overloads do in Kubernetes.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from cel_expr_python import cel

from gitops_guard.validate.apiserver import formats
from gitops_guard.validate.apiserver.cel import values as v
from gitops_guard.validate.apiserver.cel.decl import fn, overload

_T = cel.Type


def _new_quantity(text: str) -> v.Opaque:
    return v.quantity(v.parse_quantity(text))


def _as_integer(value: Any) -> int:
    whole = v.as_int64(v.amount(value))
    if whole is None:
        raise ValueError("cannot convert value to integer")
    return whole


def _sign(value: Any) -> int:
    found = v.amount(value)
    return int(found > 0) - int(found < 0)


def _plus(sign: int) -> Any:
    def add(value: Any, other: Any) -> v.Opaque:
        right = Decimal(other) if isinstance(other, int) else v.amount(other)
        return v.quantity(v.amount(value) + sign * right)
    return add


def _semver_field(index: int) -> Any:
    return lambda value: v.semver_parts(value)[index]


def declarations() -> list[Any]:
    s, b, i, d, m = _T.STRING, _T.BOOL, _T.INT, _T.DOUBLE, _T.MAP
    return [
        fn("isQuantity", overload("isQuantity", b, [s], formats.parses(v.parse_quantity))),
        fn("quantity", overload("quantity", m, [s], _new_quantity)),
        fn("sign", overload("sign", i, [m], _sign, member=True),
           overload("sign_global", i, [m], _sign)),
        fn("isGreaterThan", overload("isGreaterThan", b, [m, m],
                                     lambda a, c: v.compare(a, c) > 0, member=True)),
        fn("isLessThan", overload("isLessThan", b, [m, m],
                                  lambda a, c: v.compare(a, c) < 0, member=True)),
        fn("compareTo", overload("compareTo", i, [m, m], v.compare, member=True)),
        fn("isInteger", overload("isInteger", b, [m], lambda a: v.as_int64(
            v.amount(a)) is not None, member=True)),
        fn("asInteger", overload("asInteger", i, [m], _as_integer, member=True)),
        fn("asApproximateFloat", overload("asApproximateFloat", d, [m],
                                          lambda a: float(v.amount(a)), member=True)),
        fn("add", overload("add", m, [m, m], _plus(1), member=True),
           overload("add_int", m, [m, i], _plus(1), member=True)),
        fn("sub", overload("sub", m, [m, m], _plus(-1), member=True),
           overload("sub_int", m, [m, i], _plus(-1), member=True)),
        fn("isSemver", overload("isSemver", b, [s], formats.parses(v.parse_semver)),
           overload("isSemver_normalize", b, [s, b], lambda t, n: formats.parses(
               lambda x: v.parse_semver(x, n))(t))),
        fn("semver", overload("semver", m, [s], v.parse_semver),
           overload("semver_normalize", m, [s, b], v.parse_semver)),
        fn("major", overload("major", i, [m], _semver_field(0), member=True)),
        fn("minor", overload("minor", i, [m], _semver_field(1), member=True)),
        fn("patch", overload("patch", i, [m], _semver_field(2), member=True)),
    ]
