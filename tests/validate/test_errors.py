"""Schema errors as findings at the offending field (its key), a missing field at its
parent, wrong types with the YAML 1.1 hint, secret values never shown."""
from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest

from gitops_guard.load import load_bytes
from gitops_guard.model import Severity
from gitops_guard.validate.errors import schema_findings

SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["spec"],
    "properties": {
        "apiVersion": {"type": "string"}, "kind": {"type": "string"},
        "metadata": {"type": "object"},
        "data": {"type": "object", "additionalProperties": {"type": "string"}},
        "spec": {"type": "object", "additionalProperties": False, "required": ["size"],
                 "properties": {
                     "size": {"type": "integer"}, "name": {"type": "string"},
                     "password": {"type": "string"},
                     "mode": {"enum": ["a", "b"]},
                     "env": {"type": "array", "items": {"type": "object", "properties": {
                         "name": {"type": "string"}, "value": {"type": "string"}}}}}}}}


def findings(text: str) -> list[tuple[str, int, int, str, str]]:
    [doc] = load_bytes(text.encode(), "m.yaml").documents
    errors = jsonschema_rs.validator_for(SCHEMA).iter_errors(doc.data)
    return sorted((f.rule_id, f.location.line, f.location.column, f.field_path, f.message)
                  for f in schema_findings(errors, doc, "schema w.json", Severity.ERROR))


HEAD = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"


@pytest.mark.parametrize(("body", "expected"), [
    ("spec:\n  size: 1\n  colour: red\n",
     [("GG202", 6, 3, "spec.colour", 'unknown field "spec.colour" (schema w.json)')]),
    ("spec:\n  name: w\n",
     [("GG203", 4, 1, "spec.size", 'missing required field "spec.size" (schema w.json)')]),
    ("spec:\n  size: big\n",
     [("GG201", 5, 3, "spec.size", 'spec.size: "big" is not of type integer (schema w.json)')]),
    ("spec:\n  size: 1\n  name: yes\n",
     [("GG201", 6, 3, "spec.name", "spec.name: true is not of type string (unquoted "
       "yes/no/on/off are YAML 1.1 booleans; quote the value) (schema w.json)")]),
    ("spec:\n  size: 1\n  password: 1234\n",
     [("GG201", 6, 3, "spec.password",
       "spec.password: <redacted> is not of type string (schema w.json)")]),
    ("spec:\n  size: 1\n  env:\n    - {name: DB_PASSWORD, value: 5}\n",
     [("GG201", 7, 27, "spec.env[0].value",
       "spec.env[0].value: <redacted> is not of type string (schema w.json)")]),
    ("spec:\n  size: 1\n  env:\n    - {name: LOG_LEVEL, value: 5}\n",
     [("GG201", 7, 25, "spec.env[0].value",
       "spec.env[0].value: 5 is not of type string (schema w.json)")]),
])
def test_each_error_is_a_finding_at_its_field(
        body: str, expected: list[tuple[str, int, int, str, str]]) -> None:
    assert findings(HEAD + body) == expected


def test_a_secrets_values_are_never_shown() -> None:
    text = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {token: 1234}\nspec: {}\n"
    messages = [m for *_, m in findings(text)]
    assert messages and all("1234" not in m for m in messages)
    assert "data.token: <redacted> is not of type string (schema w.json)" in messages


def test_an_enum_error_of_a_secret_field_names_the_check_not_the_value() -> None:
    text = HEAD + "spec:\n  size: 1\n  mode: c\n"
    assert findings(text)[0][4].startswith("spec.mode: ")
    [doc] = load_bytes((b"apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
                        b"spec: {size: 1, mode: hunter2}\n"), "s.yaml").documents
    [finding] = schema_findings(jsonschema_rs.validator_for(SCHEMA).iter_errors(doc.data), doc,
                                "x", Severity.ERROR)
    assert finding.message == "spec.mode: value does not match the schema (enum) (x)"
