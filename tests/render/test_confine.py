"""Paths named by repository content stay inside the repository (GG120): `..`, absolute
paths and symlinks out are refused before anything reads them."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from gitops_guard.render import confine
from gitops_guard.render.confine import escape, refused


@pytest.fixture
def root(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "apps/web").mkdir(parents=True)
    (repo / "apps/web/deploy.yaml").write_text("kind: Deployment\n")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside/secret.txt").write_text("token")
    (repo / "apps/leak").mkdir()
    os.symlink(tmp_path / "outside/secret.txt", repo / "apps/leak/values.yaml")
    os.symlink(tmp_path / "outside", repo / "elsewhere")
    os.symlink("web", repo / "apps/alias")  # a link inside the repository is fine
    return repo


@pytest.mark.parametrize(("rel", "reason"), [
    ("apps/web", None),
    ("apps/web/deploy.yaml", None),
    ("apps/alias", None),
    ("apps/missing", None),  # absent: reported by whoever reads it
    ("../outside", "../outside resolves outside the repository"),
    ("/etc", "/etc resolves outside the repository"),
    ("elsewhere", "elsewhere resolves outside the repository"),
    ("apps/leak/values.yaml", "apps/leak/values.yaml resolves outside the repository"),
    ("apps", "apps/leak/values.yaml is a symlink to outside the repository"),
])
def test_escape(root: Path, rel: str, reason: str | None) -> None:
    assert escape(root, rel) == reason


def test_a_directory_too_large_to_walk_is_refused(
        root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(confine, "MAX_WALK", 1)
    (root / "apps/web/more.yaml").write_text("")
    assert escape(root, "apps/web") == "apps/web has more than 1 entries"


def test_refused_is_gg120_at_the_line_that_named_the_path() -> None:
    finding = refused("../x resolves outside the repository", "Kustomization apps path",
                      "clusters/prod/apps.yaml", 7, "prod")
    assert (finding.rule_id, finding.severity.name, finding.location.path,
            finding.location.line, finding.env) == ("GG120", "ERROR",
                                                     "clusters/prod/apps.yaml", 7, "prod")
    assert finding.message == ("Kustomization apps path refused: ../x resolves outside the "
                               "repository; nothing outside the repository is read")
