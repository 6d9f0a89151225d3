"""The content-addressed chart cache: what is stored is found again by version and digest,
offline runs resolve ranges from what was listed, and an untrusted cache is not read."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from gitops_guard.render.charts.cache import (
    cached_versions,
    lookup,
    remember_versions,
    resolve_offline,
    sha256_file,
    state_digest,
    store,
)
from tests.render.charts.archives import archive, chart_archive

URL = "https://charts.example.com/stable/"


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    return folder


def test_a_stored_chart_is_found_by_version_and_digest(tmp_path: Path, cache: Path) -> None:
    packed = chart_archive(tmp_path / "web-1.0.0.tgz")
    entry = store(cache, URL, "web", "1.0.0", packed)
    assert entry.digest == sha256_file(packed)
    assert (entry.chart_dir / "Chart.yaml").is_file()
    assert lookup(cache, URL.rstrip("/"), "web", "1.0.0") == entry  # the URL normalised
    assert lookup(cache, URL, "web", "1.0.0", entry.digest) == entry
    assert lookup(cache, URL, "web", "1.0.0", "sha256:" + "0" * 64) is None
    assert lookup(cache, URL, "web", "1.0.1") is None
    assert lookup(cache, "https://other.example.com", "web", "1.0.0") is None
    # storing the same archive again is harmless
    assert store(cache, URL, "web", "1.0.0", packed) == entry


def test_an_archive_without_a_chart_is_not_stored(tmp_path: Path, cache: Path) -> None:
    with pytest.raises(ValueError, match=r"Chart\.yaml"):
        store(cache, URL, "web", "1.0.0", archive(tmp_path / "x.tgz", [("x/a.txt", b"a")]))


@pytest.mark.parametrize(("chart", "version"), [("..", "1.0.0"), ("web", "../../x"),
                                                ("a/b", "1"), ("", "1")])
def test_names_that_could_climb_out_of_the_cache_find_nothing(
        cache: Path, chart: str, version: str) -> None:
    assert lookup(cache, URL, chart, version) is None
    assert cached_versions(cache, URL, chart) == []


def test_offline_resolution_uses_the_last_listing_and_what_is_cached(
        tmp_path: Path, cache: Path) -> None:
    assert resolve_offline(cache, URL, "web", "^1.0") is None
    remember_versions(cache, URL, "web", ["1.0.0", "1.2.0", "2.0.0"])
    store(cache, URL, "web", "1.3.0", chart_archive(tmp_path / "web.tgz"))
    assert cached_versions(cache, URL, "web") == ["1.0.0", "1.2.0", "2.0.0", "1.3.0"]
    assert resolve_offline(cache, URL, "web", "^1.0") == "1.3.0"
    assert resolve_offline(cache, URL, "web", "~1.2") == "1.2.0"


def test_the_state_digest_changes_with_what_an_offline_run_can_find(
        tmp_path: Path, cache: Path) -> None:
    assert state_digest(tmp_path / "absent") == "empty"
    empty = state_digest(cache)
    remember_versions(cache, URL, "web", ["1.0.0"])
    listed = state_digest(cache)
    store(cache, URL, "web", "1.0.0", chart_archive(tmp_path / "web.tgz"))
    stored = state_digest(cache)
    assert len({empty, listed, stored}) == 3
    assert state_digest(cache) == stored


def test_a_cache_others_can_write_to_is_not_read(tmp_path: Path, cache: Path) -> None:
    store(cache, URL, "web", "1.0.0", chart_archive(tmp_path / "web.tgz"))
    remember_versions(cache, URL, "web", ["1.0.0"])
    os.chmod(cache, 0o777)
    assert lookup(cache, URL, "web", "1.0.0") is None
    assert cached_versions(cache, URL, "web") == []
    assert lookup(tmp_path / "absent", URL, "web", "1.0.0") is None
