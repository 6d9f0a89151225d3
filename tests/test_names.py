"""Names a build step replaces (names.py): rules about names leave them alone in a file
checked on its own (kustomize's `_` namespace, Flux `${VAR}`, templates)."""
from __future__ import annotations

import pytest

from gitops_guard.names import is_placeholder


@pytest.mark.parametrize(("name", "placeholder"), [
    ("_", True), ("__", True), ("${CLUSTER_NAME}", True), ("app-${env}", True),
    ("{{ .Values.name }}", True), ("<your-namespace>", True), ("CHANGEME", True),
    ("replace_me", True), ("shop", False), ("my_app", False), ("a<b", False),
    ("team-changeme", False),
])
def test_a_name_a_build_step_replaces_is_a_placeholder(name: str, placeholder: bool) -> None:
    assert is_placeholder(name) is placeholder
