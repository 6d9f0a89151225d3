"""Locating a chart without fetching: the cache answers, or the reason names the command
that fills it."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.render.charts.cache import remember_versions, store
from gitops_guard.render.charts.locate import locate
from gitops_guard.render.charts.model import ChartOptions, ChartSource
from tests.render.charts.archives import chart_archive

URL = "https://charts.example.com"


@pytest.fixture
def options(tmp_path: Path) -> ChartOptions:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    remember_versions(cache, URL, "web", ["1.0.0", "1.1.0"])
    store(cache, URL, "web", "1.0.0", chart_archive(tmp_path / "web.tgz"))
    return ChartOptions(cache, fetch=False)


def source(version: str) -> ChartSource:
    return ChartSource(URL, "web", version, "HelmRepository flux-system/charts")


def test_a_cached_chart_is_found_by_its_range(options: ChartOptions) -> None:
    found = locate(source("~1.0"), options)
    assert (found.version, found.reason) == ("1.0.0", "")
    assert found.path is not None and (found.path / "Chart.yaml").is_file()
    assert found.digest.startswith("sha256:")


@pytest.mark.parametrize(("version", "reason"), [
    ("1.1.0", "chart web 1.1.0 from https://charts.example.com (HelmRepository "
              "flux-system/charts) is not in the chart cache and this run does not fetch; "
              "run `gitops-guard charts pull` (or `check --fetch-charts`) to fetch it"),
    (">=banana", "chart web >=banana from https://charts.example.com (HelmRepository "
                 "flux-system/charts): not a version constraint: '>=banana'"),
])
def test_what_the_cache_cannot_answer_says_why(options: ChartOptions, version: str,
                                               reason: str) -> None:
    found = locate(source(version), options)
    assert (found.path, found.reason) == (None, reason)
