"""Kubernetes' CEL libraries, as one cel-expr-python extension of the offline environment.

Follows k8s.io/apiserver pkg/cel/library: format.go (`format.<name>()`, `format.named()`,
`<Format>.validate()`), lists.go (`isSorted`, `sum`, `min`, `max`, `indexOf`,
`lastIndexOf`), regex.go (`find`, `findAll`, in RE2 as Go's regexp: linear time on any
pattern a CRD brings), cel-go's ext sets (`sets.contains`, `sets.equivalent`,
`sets.intersects`); quantity.go and semverlib.go in `cel/quantity.py`; ip.go, cidr.go and
urls.go in `cel/network.py`. The extension is added after CEL C++'s strings extension, so
its list `indexOf`/`lastIndexOf` join the string overloads of the same names.

Kubernetes returns optionals from `format.named()` and `validate()`; custom functions
here cannot, so `validate()` returns the list of errors (empty when valid) and
`format.named()` the format (an empty map for an unknown name), and `hasValue()` and
`value()` read those as the optionals they stand for:
`!format.dns1123Label().validate(self).hasValue()` and
`format.named('dns1123Label').value().validate(self).size() == 0` work as upstream.

Not provided: two-variable comprehensions, cel-go's ext lists (`slice`, `flatten`,
...), the authorizer and JSON patch libraries: a rule calling them does not compile and is
reported as not evaluated (GG237).
"""
from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlparse

from cel_expr_python import cel

from gitops_guard.go_regexp import compile_go_regexp
from gitops_guard.validate.apiserver import formats
from gitops_guard.validate.apiserver.cel import network, quantity
from gitops_guard.validate.apiserver.cel import values as v
from gitops_guard.validate.apiserver.cel.decl import fn, overload

_T = cel.Type


def _prefix(check: Callable[[str], Sequence[str]]) -> Callable[[str], Sequence[str]]:
    return lambda s: check(s[:-1] + "a" if s.endswith("-") else s)


def _ok(parse: Callable[[str], object], message: str) -> Callable[[str], list[str]]:
    def check(value: str) -> list[str]:
        try:
            parse(value)
        except ValueError:
            return [message]
        return []
    return check


def _uri(value: str) -> None:
    parsed = urlparse(value)
    if not (parsed.scheme and (parsed.netloc or parsed.path)) and not value.startswith("/"):
        raise ValueError(value)


FORMATS: dict[str, Callable[[str], Sequence[str]]] = {
    "dns1123Label": formats.dns1123_label,
    "dns1123Subdomain": formats.dns1123_subdomain,
    "dns1035Label": formats.dns1035_label,
    "qualifiedName": formats.qualified_name,
    "dns1123LabelPrefix": _prefix(formats.dns1123_label),
    "dns1123SubdomainPrefix": _prefix(formats.dns1123_subdomain),
    "dns1035LabelPrefix": _prefix(formats.dns1035_label),
    "labelValue": formats.label_value,
    "uri": _ok(_uri, "invalid URI"),
    "uuid": _ok(uuid.UUID, "does not match the UUID format"),
    "byte": _ok(lambda s: base64.b64decode(s, validate=True), "invalid base64"),
    "date": _ok(date.fromisoformat, "invalid date"),
    "datetime": _ok(lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")),
                    "invalid datetime"),
}


def _validate(fmt: Any, value: str) -> list[str]:
    return list(FORMATS[v.unwrap("format", fmt)](value))


def _has_value(found: Any) -> bool:
    return bool(found) if isinstance(found, list) else v.kind_of(found) == "format"


def _value(found: Any) -> Any:
    if not _has_value(found):
        raise ValueError("optional.none() dereference")
    return found


@lru_cache(maxsize=256)
def _regex(pattern: str) -> Any:
    try:
        return compile_go_regexp(pattern)
    except ValueError as exc:
        raise ValueError(f"Illegal regex: {exc}") from None


def _find(text: str, pattern: str) -> str:
    match = _regex(pattern).search(text)
    return match.group(0) if match else ""


def _find_all(text: str, pattern: str, limit: int = -1) -> list[str]:
    out: list[str] = []
    for match in _regex(pattern).finditer(text):
        if 0 <= limit <= len(out):
            break
        out.append(match.group(0))
    return out


def _index_of(items: list[Any], item: Any) -> int:
    return next((n for n, x in enumerate(items) if x == item), -1)


def _last_index_of(items: list[Any], item: Any) -> int:
    return next((n for n in range(len(items) - 1, -1, -1) if items[n] == item), -1)


def _lists() -> list[Any]:
    b, i, dyn, lst = _T.BOOL, _T.INT, _T.DYN, _T.LIST
    return [
        fn("isSorted", overload("isSorted", b, [lst], lambda x: list(x) == sorted(x),
                                member=True)),
        fn("sum", overload("sum", dyn, [lst], lambda x: sum(x), member=True)),
        fn("min", overload("min", dyn, [lst], lambda x: min(x), member=True)),
        fn("max", overload("max", dyn, [lst], lambda x: max(x), member=True)),
        fn("indexOf", overload("list_indexOf", i, [lst, dyn], _index_of, member=True)),
        fn("lastIndexOf", overload("list_lastIndexOf", i, [lst, dyn], _last_index_of,
                                   member=True)),
        fn("sets.contains", overload("sets_contains", b, [lst, lst], lambda a, c: all(
            x in a for x in c))),
        fn("sets.equivalent", overload("sets_equivalent", b, [lst, lst], lambda a, c: all(
            x in a for x in c) and all(x in c for x in a))),
        fn("sets.intersects", overload("sets_intersects", b, [lst, lst], lambda a, c: any(
            x in a for x in c))),
    ]


def _formats_and_regex() -> list[Any]:
    s, b, i, m, lst = _T.STRING, _T.BOOL, _T.INT, _T.MAP, _T.LIST
    named = [fn(f"format.{name}", overload(f"format_{name}", m, [],
                                           lambda n=name: v.wrap("format", n)))
             for name in FORMATS]
    return [
        *named,
        fn("format.named", overload("format_named", m, [s], lambda n: v.wrap(
            "format", n) if n in FORMATS else {})),
        fn("validate", overload("validate", _T.List(s), [m, s], _validate, member=True)),
        fn("hasValue", overload("hasValue_list", b, [lst], _has_value, member=True),
           overload("hasValue_map", b, [m], _has_value, member=True)),
        fn("value", overload("value_list", lst, [lst], _value, member=True),
           overload("value_map", m, [m], _value, member=True)),
        fn("string", overload("opaque_string", s, [m], v.text_of)),
        fn("find", overload("find", s, [s, s], _find, member=True)),
        fn("findAll", overload("findAll", _T.List(s), [s, s], _find_all, member=True),
           overload("findAll_n", _T.List(s), [s, s, i], _find_all, member=True)),
    ]


def extension() -> Any:
    """Kubernetes' libraries as one extension, to be added after the stock ones."""
    functions = _formats_and_regex() + _lists() + quantity.declarations() + \
        network.declarations()
    return cel.CelExtension("kubernetes", functions)
