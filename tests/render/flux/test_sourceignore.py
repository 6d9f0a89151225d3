"""What a GitRepository artifact leaves out: source-controller's built-in patterns, each
`.sourceignore` (scoped to its directory) and the GitRepository's `spec.ignore`."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.render.flux.sourceignore import SourceIgnore


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / ".sourceignore").write_text("# comment\n*.tmp\n/drafts/\n")
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / ".sourceignore").write_text("local.yaml\n!keep.tmp\n")
    return tmp_path


@pytest.mark.parametrize(("rel", "is_dir", "ignored"), [
    ("apps/web.yaml", False, False),
    (".github", True, True),  # built-in: CI, VCS, images, archives, .sops.yaml
    (".gitlab-ci.yml", False, True),
    ("docs/logo.png", False, True),
    ("apps/.sops.yaml", False, True),
    ("bundle.tar.gz", False, True),
    ("apps/x.tmp", False, True),  # the top .sourceignore
    ("drafts", True, True),  # anchored at its directory
    ("apps/drafts", True, False),
    ("apps/local.yaml", False, True),  # apps/.sourceignore
    ("local.yaml", False, False),  # ... scoped to apps/
    ("apps/sub/local.yaml", False, True),
    ("secret/values.yaml", False, True),  # spec.ignore
])
def test_ignored(root: Path, rel: str, is_dir: bool, ignored: bool) -> None:
    assert SourceIgnore(root, "secret/\n").ignored(rel, is_dir) is ignored


def test_without_ignore_files_only_the_built_in_patterns_apply(tmp_path: Path) -> None:
    ignore = SourceIgnore(tmp_path)
    assert ignore.ignored(".git", is_dir=True)
    assert not ignore.ignored("x.tmp")
