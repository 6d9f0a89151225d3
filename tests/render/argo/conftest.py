"""The ApplicationSet tests' fleet repository (tests/render/argo/helpers.py renders it)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.plan.helpers import GitRepo
from tests.render.argo.helpers import cm


@pytest.fixture
def fleet(tmp_path: Path) -> GitRepo:
    """apps/ dirs (one hidden, one nested), clusters/ config files, an origin remote."""
    repo = GitRepo(tmp_path / "fleet")
    repo.git("remote", "add", "origin", "https://github.com/example/fleet")
    for name in ("Guest_Book", "shop", "legacy"):
        repo.write(f"apps/{name}/cm.yaml", cm(name.lower().replace("_", "-")))
    repo.write("apps/.hidden/cm.yaml", cm("hidden"))
    repo.write("apps/shop/nested/cm.yaml", cm("nested"))
    repo.write("clusters/eu/config.yaml", {"cluster": {"name": "eu-1", "region": "eu"},
                                           "replicas": 2})
    repo.write("clusters/us/config.yaml", "- cluster: {name: us-1, region: us}\n"
                                          "- cluster: {name: us-2, region: us}\n"
                                          "---\n- cluster: {name: ignored}\n")
    repo.commit("init")
    return repo
