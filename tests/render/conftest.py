"""The render tests' shared repository: a Flux monorepo fixture in a real git repo."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import DATA

MONOREPO = DATA / "render" / "flux-monorepo"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "fleet"
    shutil.copytree(MONOREPO, root)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "remote", "add", "origin",
                    "git@github.com:example/fleet.git"], check=True)
    return root
