"""A CRD's structural schema as the API server applies it: defaults filled in before
validation, list types kept unique, string formats checked."""
from __future__ import annotations

from typing import Any

import pytest

from gitops_guard.load import load_bytes
from gitops_guard.validate.apiserver.report import Issues
from gitops_guard.validate.apiserver.structural import (
    apply_defaults,
    check_format,
    check_list_type,
)

SCHEMA: dict[str, Any] = {"type": "object", "properties": {
    "replicas": {"type": "integer", "default": 1},
    "mode": {"type": "string", "default": "auto"},
    "tls": {"type": "object", "default": {}, "properties": {
        "enabled": {"type": "boolean", "default": True}}},
    "ports": {"type": "array", "items": {"type": "object", "properties": {
        "protocol": {"type": "string", "default": "TCP"}}}},
    "labels": {"type": "object", "additionalProperties": {
        "type": "object", "properties": {"weight": {"type": "integer", "default": 5}}}}}}


def test_defaults_fill_absent_properties_recursively() -> None:
    value = {"mode": "manual", "ports": [{"port": 80}, {"protocol": "UDP"}],
             "labels": {"a": {}}}
    assert apply_defaults(SCHEMA, value) == {
        "replicas": 1, "mode": "manual", "tls": {"enabled": True},
        "ports": [{"port": 80, "protocol": "TCP"}, {"protocol": "UDP"}],
        "labels": {"a": {"weight": 5}}}
    assert value == {"mode": "manual", "ports": [{"port": 80}, {"protocol": "UDP"}],
                     "labels": {"a": {}}}  # the input is left as it was
    assert apply_defaults(True, {"a": 1}) == {"a": 1}
    assert apply_defaults(SCHEMA, "not an object") == "not an object"


def issues() -> Issues:
    [doc] = load_bytes(b"apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n",
                       "w.yaml").documents
    return Issues(doc)


@pytest.mark.parametrize(("schema", "value", "duplicates"), [
    ({"x-kubernetes-list-type": "set"}, ["a", "b", "a"], ['spec.items[2]: Duplicate value: "a"']),
    ({"x-kubernetes-list-type": "set"}, [{"a": 1, "b": 2}, {"b": 2, "a": 1}],
     ['spec.items[1]: Duplicate value: {"b": 2, "a": 1}']),  # the item as written
    ({"x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"]},
     [{"name": "x", "v": 1}, {"name": "y"}, {"name": "x", "v": 2}],
     ['spec.items[2]: Duplicate value: {"name": "x"}']),
    ({"x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["port", "protocol"],
      "items": {"properties": {"protocol": {"default": "TCP"}}}},
     [{"port": 80}, {"port": 80, "protocol": "TCP"}, {"port": 80, "protocol": "UDP"}],
     ['spec.items[1]: Duplicate value: {"port": 80, "protocol": "TCP"}']),  # by default
    ({"x-kubernetes-list-type": "atomic"}, ["a", "a"], []),
])
def test_list_types(schema: dict[str, Any], value: list[Any], duplicates: list[str]) -> None:
    found = issues()
    check_list_type(found, schema, value, ("spec", "items"))
    assert [f.message for f in found.found] == duplicates
    assert {f.rule_id for f in found.found} <= {"GG234"}


@pytest.mark.parametrize(("fmt", "value", "ok"), [
    ("date-time", "2026-12-03T06:00:00Z", True),
    ("date-time", "2026-12-03T06:00:00.5+01:00", True),
    ("date-time", "2026-12-03 06:00:00", False),
    ("date-time", "2026-13-03T06:00:00Z", False),
    ("date", "2026-12-03", True),
    ("date", "03/12/2026", False),
    ("uuid", "123e4567-e89b-12d3-a456-426614174000", True),
    ("uuid", "not-a-uuid", False),
    ("ipv4", "10.0.0.1", True), ("ipv4", "::1", False),
    ("ipv6", "::1", True), ("ipv6", "10.0.0.1", False),
    ("cidr", "10.0.0.0/8", True), ("cidr", "10.0.0.0/33", False),
    ("mac", "00:1a:2B:3c:4d:5e", True), ("mac", "00:1a:2b", False),
    ("byte", "aGVsbG8=", True), ("byte", "not base64!", False),
    ("hostname", "Not A Hostname!", True),  # left to the cluster
])
def test_formats(fmt: str, value: str, ok: bool) -> None:
    found = issues()
    check_format(found, {"format": fmt}, value, ("spec", "at"))
    assert (found.found == []) is ok
    if not ok:
        [finding] = found.found
        assert finding.rule_id == "GG239" and f"(format {fmt})" in finding.message
