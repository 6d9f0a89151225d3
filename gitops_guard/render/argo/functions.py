"""Functions of ApplicationSet Go templates: Go's builtins and the sprig ones ApplicationSets
use, with sprig's argument order (the piped value comes last) and emptiness rules."""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import yaml

from gitops_guard.load.yaml_budget import safe_load_bounded


class _NoValue:
    """A missing map key (missingkey=default): empty, printed as Go prints it."""

    def __repr__(self) -> str:
        return "<no value>"


NO_VALUE = _NoValue()


def go_string(value: Any) -> str:
    """How `{{ value }}` prints (fmt's %v)."""
    if value is NO_VALUE:
        return "<no value>"
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
    if isinstance(value, list):
        return "[" + " ".join(go_string(v) for v in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_string(value[k])}" for k in sorted(value)) + "]"
    return str(value)


def truthy(value: Any) -> bool:
    """Go template truth: false, 0, nil, and empty strings, lists and maps are false."""
    return not (value is NO_VALUE or value is None or value is False or value == 0
                or (isinstance(value, str | list | dict) and not value))


def sanitize_name(name: str) -> str:
    """Argo's `normalize` (SanitizeName): a DNS-1123 subdomain-ish name."""
    name = re.sub(r"[^-a-z0-9.]", "-", name.lower())[:253]
    return name.strip("-.")


def _slugify(*args: Any) -> str:
    name = str(args[-1])
    size = int(args[0]) if len(args) > 1 else 50
    slug = re.sub(r"[^a-z0-9]+", "-", sanitize_name(name)).strip("-")
    if len(slug) > size:
        cut = slug[:size]
        smart = cut.rsplit("-", 1)[0] if "-" in cut and (len(args) < 3 or args[1]) else cut
        slug = smart
    return slug


def _default(fallback: Any, *given: Any) -> Any:
    return given[0] if given and truthy(given[0]) else fallback


def _index(value: Any, *keys: Any) -> Any:
    for key in keys:
        if isinstance(value, dict):
            value = value.get(str(key) if not isinstance(key, str) else key)
        elif isinstance(value, list):
            value = value[int(key)]
        else:
            raise ValueError(f"can't index item of type {type(value).__name__}")
    return value


_VERB = re.compile(r"%([-+# 0]*\d*(?:\.\d+)?)([svdqtfx%])")


def _printf(fmt: str, *args: Any) -> str:
    values = iter(args)

    def one(m: re.Match[str]) -> str:
        flags, verb = m.groups()
        if verb == "%":
            return "%"
        value = next(values, NO_VALUE)
        if verb == "q":
            return json.dumps(go_string(value))
        if verb in "dfx" and isinstance(value, int | float):
            return ("%" + flags + verb) % value
        return ("%" + flags + "s") % go_string(value)
    return _VERB.sub(one, fmt)


def _trunc(length: int, text: str) -> str:
    if length < 0:
        return text[length:] if len(text) + length > 0 else text
    return text[:length]


def _eq(first: Any, *others: Any) -> bool:
    return any(first == other for other in others)


def _and(*args: Any) -> Any:
    for arg in args:
        if not truthy(arg):
            return arg
    return args[-1]


def _or(*args: Any) -> Any:
    for arg in args:
        if truthy(arg):
            return arg
    return args[-1]


def _to_yaml(value: Any) -> str:
    return str(yaml.safe_dump(value, default_flow_style=False, sort_keys=True)).rstrip("\n")


def _dict(*pairs: Any) -> dict[str, Any]:
    return {go_string(pairs[i]): pairs[i + 1] if i + 1 < len(pairs) else "" for i in
            range(0, len(pairs), 2)}


FUNCTIONS: dict[str, Callable[..., Any]] = {
    # Go builtins
    "and": _and, "or": _or, "not": lambda v: not truthy(v),
    "eq": _eq, "ne": lambda a, b: a != b, "lt": lambda a, b: a < b, "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b,
    "index": _index, "len": len, "printf": _printf, "print": lambda *a: "".join(
        go_string(v) for v in a),
    # sprig (strings)
    "default": _default, "empty": lambda v: not truthy(v),
    "lower": lambda s: go_string(s).lower(), "upper": lambda s: go_string(s).upper(),
    "title": lambda s: re.sub(r"\b\w", lambda m: m.group().upper(), go_string(s)),
    "trim": lambda s: go_string(s).strip(),
    "trimPrefix": lambda p, s: go_string(s).removeprefix(p),
    "trimSuffix": lambda p, s: go_string(s).removesuffix(p),
    "trimAll": lambda c, s: go_string(s).strip(c),
    "replace": lambda old, new, s: go_string(s).replace(old, new),
    "contains": lambda sub, s: sub in go_string(s),
    "hasPrefix": lambda p, s: go_string(s).startswith(p),
    "hasSuffix": lambda p, s: go_string(s).endswith(p),
    "quote": lambda *a: " ".join(json.dumps(go_string(v)) for v in a if v is not None),
    "squote": lambda *a: " ".join(f"'{go_string(v)}'" for v in a if v is not None),
    "trunc": _trunc, "repeat": lambda n, s: go_string(s) * n,
    "toString": go_string, "cat": lambda *a: " ".join(go_string(v) for v in a if v is not None),
    "splitList": lambda sep, s: go_string(s).split(sep),
    "join": lambda sep, items: sep.join(go_string(v) for v in items),
    "list": lambda *a: list(a), "dict": _dict,
    "first": lambda items: items[0] if items else None,
    "last": lambda items: items[-1] if items else None,
    "toJson": lambda v: json.dumps(v, separators=(",", ":"), sort_keys=True),
    "toYaml": _to_yaml,
    "fromYaml": lambda s: safe_load_bounded(s) or {},
    # Argo CD's own
    "normalize": sanitize_name, "slugify": _slugify,
}
