"""The Argo CD tests' repositories: the ApplicationSet tests' fleet (tests/render/argo/helpers.py
renders it) and the Application tests' app_repo (tests/render/argo/app_helpers.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.plan.helpers import GitRepo
from tests.render.argo.app_helpers import CHART, CHART_TEMPLATE, CONFIG, CRD, DEPLOY, ROLE
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


@pytest.fixture
def app_repo(tmp_path: Path) -> GitRepo:
    """The Application tests' repository: web/ manifests, a chart with a CRD, an origin
    remote (tests/render/argo/app_helpers.py renders it)."""
    repo = GitRepo(tmp_path / "fleet")
    repo.git("remote", "add", "origin", "git@github.com:example/fleet")
    repo.write("web/deploy.yaml", DEPLOY)
    repo.write("web/role.yaml", ROLE)
    repo.write("web/pinned.yaml", CONFIG)
    repo.write("chart/Chart.yaml", CHART)
    repo.write("chart/values.yaml", "replicas: 1\ntag: '1.0'\ntier: base\nregion: eu\ncert: ''\n")
    repo.write("chart/values-prod.yaml", "replicas: 3\ntier: prod\n")
    repo.write("chart/templates/deploy.yaml", CHART_TEMPLATE)
    repo.write("chart/crds/widgets.yaml", CRD)
    repo.write("chart/ca.pem", "PEM-DATA")
    repo.commit("init")
    return repo
