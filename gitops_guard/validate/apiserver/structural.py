"""A CRD's structural schema applied as the API server applies it before validation:
defaults filled in, list types (set, map) kept unique, string formats checked.

Follows k8s.io/apiextensions-apiserver pkg/apiserver/schema/defaulting (defaults of
absent properties, recursively, before validation), pkg/apiserver/schema/listtype
(x-kubernetes-list-type set and map with x-kubernetes-list-map-keys: "Duplicate value")
and k8s.io/kube-openapi pkg/validation/strfmt (the formats checked below; others, such as
hostname or email, are left to the cluster).
"""
from __future__ import annotations

import base64
import copy
import ipaddress
import re
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from gitops_guard.model import FieldPath
from gitops_guard.validate.apiserver import formats
from gitops_guard.validate.apiserver.report import BAD_FORMAT, DUPLICATE, Issues, show


def apply_defaults(schema: Any, value: Any) -> Any:
    """`value` with the schema's defaults filled in (a copy where anything changed)."""
    if not isinstance(schema, dict):
        return value
    if isinstance(value, dict):
        props = schema.get("properties")
        out = dict(value)
        if isinstance(props, dict):
            for key, sub in props.items():
                if key not in out and isinstance(sub, dict) and "default" in sub:
                    out[key] = copy.deepcopy(sub["default"])
                if key in out:
                    out[key] = apply_defaults(sub, out[key])
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            for key in out:
                if not isinstance(props, dict) or key not in props:
                    out[key] = apply_defaults(extra, out[key])
        return out
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [apply_defaults(schema["items"], item) for item in value]
    return value


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _default(schema: Any) -> Any:
    return schema.get("default") if isinstance(schema, dict) else None


def check_list_type(issues: Issues, schema: dict[str, Any], value: list[Any],
                    path: FieldPath) -> None:
    kind = schema.get("x-kubernetes-list-type")
    if kind == "set":
        seen: set[Any] = set()
        for i, item in enumerate(value):
            key = _freeze(item)
            if key in seen:
                issues.add(DUPLICATE, (*path, i), f"Duplicate value: {show(item)}")
            seen.add(key)
    elif kind == "map":
        names = schema.get("x-kubernetes-list-map-keys")
        if not isinstance(names, list) or not names:
            return
        items = schema.get("items")
        props: dict[str, Any] = {}
        if isinstance(items, dict) and isinstance(items.get("properties"), dict):
            props = items["properties"]
        keys: set[Any] = set()
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                continue
            ident = {n: item.get(n, _default(props.get(n))) for n in names}
            key = _freeze(ident)
            if key in keys:
                issues.add(DUPLICATE, (*path, i), f"Duplicate value: {show(ident)}")
            keys.add(key)


_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_MAC = re.compile(r"^([0-9A-Fa-f]{2}[:-]){5}([0-9A-Fa-f]{2})$")


def _datetime(value: str) -> None:
    if not _DATETIME.match(value):
        raise ValueError(value)
    datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00")
                           .replace("t", "T"))


FORMATS: dict[str, tuple[Callable[[str], bool], str]] = {
    "date-time": (formats.parses(_datetime), "an RFC 3339 date-time (2006-01-02T15:04:05Z)"),
    "date": (formats.parses(date.fromisoformat), "a date (2006-01-02)"),
    "uuid": (formats.parses(uuid.UUID), "a UUID"),
    "ipv4": (formats.parses(ipaddress.IPv4Address), "an IPv4 address"),
    "ipv6": (formats.parses(ipaddress.IPv6Address), "an IPv6 address"),
    "cidr": (formats.parses(lambda s: ipaddress.ip_network(s, strict=False)), "a CIDR"),
    "mac": (lambda s: bool(_MAC.match(s)), "a MAC address"),
    "byte": (formats.parses(lambda s: base64.b64decode(s, validate=True)), "base64 data"),
}


def check_format(issues: Issues, schema: dict[str, Any], value: Any, path: FieldPath) -> None:
    fmt = schema.get("format")
    known = FORMATS.get(fmt) if isinstance(fmt, str) else None
    if known is not None and isinstance(value, str) and not known[0](value):
        issues.add(BAD_FORMAT, path, f"Invalid value: {show(value)}: must be {known[1]} "
                   f"(format {fmt})")
