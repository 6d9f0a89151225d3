"""Secret values a tool's error must not carry into a finding: a secretGenerator's literals
and files, Helm values under secret-named keys."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.load.datafiles import KUSTOMIZATION_FILES
from gitops_guard.render.secret_values import (
    REDACTED,
    scrub,
    scrub_all,
    secret_leaves,
    secret_values,
)


def test_every_value_a_secret_generator_names(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    (tmp_path / "app").mkdir()
    (tmp_path / "app/kustomization.yaml").write_text(
        "secretGenerator:\n"
        "  - name: db\n    literals: [DB_PASSWORD=s3cr3t-pw, on=1]\n"
        "    envs: [db.env]\n    files: [tls.key, cert=../outside.pem]\n"
        "configMapGenerator:\n  - name: plain\n    literals: [LEVEL=debug]\n")
    (tmp_path / "app/db.env").write_text("API_TOKEN=tok-123\n")
    (tmp_path / "app/tls.key").write_text("-----KEY-----\n")
    (tmp_path.parent / "outside.pem").write_text("never read\n")
    found = secret_values(tmp_path, KUSTOMIZATION_FILES)
    assert {"DB_PASSWORD=s3cr3t-pw", "s3cr3t-pw", "API_TOKEN=tok-123", "tok-123",
            "-----KEY-----"} <= found
    assert "debug" not in found  # a ConfigMap is not secret
    assert "1" not in found  # too short to redact without redacting ordinary words
    assert "never read" not in found  # outside the repository
    message = "invalid literal source [DB_PASSWORD=s3cr3t-pw API_TOKEN=tok-123]"
    assert scrub(message, found) == f"invalid literal source [{REDACTED} {REDACTED}]"


def test_helm_values_under_secret_named_keys() -> None:
    values = {"image": {"tag": "1.27"}, "admin": {"password": "hunter22", "users": ["bob"]},
              "db": {"apiToken": 123456, "enabled": True},
              "secrets": [{"name": "x", "value": "v"}]}
    assert secret_leaves(values) == {"hunter22", "123456"}


def test_scrub_replaces_the_longest_first() -> None:
    assert scrub("token=abcdef", {"abc", "abcdef"}) == f"token={REDACTED}"
    assert scrub_all("a hunter22 b", ["hunter22"], []) == f"a {REDACTED} b"
    assert scrub_all("nothing", [], []) == "nothing"
