"""Helm `--set` / `--set-string` as Argo CD passes `helm.parameters`: Helm's strvals rules."""
from __future__ import annotations

from typing import Any

import pytest

from gitops_guard.render.values import set_value


@pytest.mark.parametrize(("name", "value", "force", "expected"), [
    ("a.b", "5", False, {"a": {"b": 5}}),
    ("a.b", "-5", False, {"a": {"b": -5}}),
    ("a.b", "007", False, {"a": {"b": "007"}}),  # a leading zero keeps it a string
    ("a.b", "5", True, {"a": {"b": "5"}}),
    ("on", "true", False, {"on": True}),
    ("gone", "null", False, {"gone": None}),
    ("ingress.annotations.kubernetes\\.io/tls", "x", False,
     {"ingress": {"annotations": {"kubernetes.io/tls": "x"}}}),
    ("env[1].value", "v", False, {"env": [None, {"value": "v"}]}),
    ("hosts", "{a.example.com,2}", False, {"hosts": ["a.example.com", 2]}),
    ("hosts", "{a,2}", True, {"hosts": ["a", "2"]}),
])
def test_set_value(name: str, value: str, force: bool, expected: dict[str, Any]) -> None:
    assert set_value(name, value, force) == expected
