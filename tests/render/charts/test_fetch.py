"""Remote charts through the real Helm client: HTTP index and OCI registry on loopback,
version ranges, the index digest, the content-addressed cache, retries, timeouts and
credentials that never show."""
from __future__ import annotations

import io
import json
import stat
import tarfile
from pathlib import Path

import pytest
import yaml

from gitops_guard.render.charts import ChartOptions, ChartSource, LocatedChart, locate_chart
from tests.conftest import requires
from tests.fakes.helm_chart_repository import ChartRepository, serve_chart_repository
from tests.fakes.oci_registry import OciRegistry
from tests.render.chart_fixtures import write_chart


def locate(url: str, version: str, cache: Path, fetch: bool = True, chart: str = "podinfo",
           timeout: float = 30.0) -> LocatedChart:
    return locate_chart(ChartSource(url, chart, version, "HelmRepository flux-system/podinfo",
                                    insecure=url.startswith("oci://")),
                        ChartOptions(cache, fetch=fetch, timeout_seconds=timeout, retries=1))


def chart_version(located: LocatedChart) -> str:
    assert located.path is not None, located.reason
    return str(yaml.safe_load((located.path / "Chart.yaml").read_text())["version"])


@pytest.mark.parametrize(("wanted", "expect"), [
    ("1.0.0", "1.0.0"), ("~1.0", "1.0.0"), ("^1", "1.1.0"), ("1.x", "1.1.0"), ("", "1.1.0"),
    (">=1.0.0-0", "2.0.0-rc.1"), ("<1.1.0 || >=3", "1.0.0")])
def test_http_repository_resolves_like_helm(chart_repo: ChartRepository, tmp_path: Path,
                                            wanted: str, expect: str) -> None:
    located = locate(chart_repo.url, wanted, tmp_path / "cache")
    assert (located.version, chart_version(located)) == (expect, expect)
    assert located.digest.startswith("sha256:")
    assert located.path is not None and located.digest[7:] in str(located.path)


def test_cache_is_private_and_answers_offline(chart_repo: ChartRepository,
                                              tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    fetched = locate(chart_repo.url, "^1.0", cache)
    for path in [cache, *cache.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path
    served = len(chart_repo.paths())
    offline = locate(chart_repo.url, "^1.0", cache, fetch=False)
    assert (offline.path, offline.version) == (fetched.path, "1.1.0")
    exact = locate(chart_repo.url, "1.1.0", cache)  # fetching allowed, but cached: no call
    assert exact.path == fetched.path and len(chart_repo.paths()) == served


def test_a_cache_others_can_write_to_is_not_read(chart_repo: ChartRepository,
                                                 tmp_path: Path) -> None:
    """A shared or carelessly restored cache dir could hold a planted chart."""
    cache = tmp_path / "cache"
    assert locate(chart_repo.url, "1.1.0", cache).path is not None
    cache.chmod(0o777)
    offline = locate(chart_repo.url, "1.1.0", cache, fetch=False)
    assert offline.path is None and "not in the chart cache" in offline.reason
    cache.chmod(0o700)
    assert locate(chart_repo.url, "1.1.0", cache, fetch=False).path is not None


def test_chart_not_cached_offline_names_the_command(tmp_path: Path) -> None:
    located = locate("https://charts.example.com", "6.x", tmp_path / "cache", fetch=False)
    assert located.path is None
    assert "not in the chart cache" in located.reason
    assert "gitops-guard charts pull" in located.reason and "--fetch-charts" in located.reason


def test_archive_not_matching_the_index_digest_is_refused(chart_repo: ChartRepository,
                                                          tmp_path: Path) -> None:
    archive = chart_repo.state.root / "podinfo-1.0.0.tgz"
    archive.write_bytes(archive.read_bytes() + b"\0")  # served bytes != index digest
    located = locate(chart_repo.url, "1.0.0", tmp_path / "cache")
    assert located.path is None and "is not the index's" in located.reason
    assert not list((tmp_path / "cache").rglob("Chart.yaml"))


def test_missing_version_lists_what_exists(chart_repo: ChartRepository,
                                           tmp_path: Path) -> None:
    located = locate(chart_repo.url, "~3.0", tmp_path / "cache")
    assert located.path is None
    assert "no version matches '~3.0' (available: 2.0.0-rc.1, 1.1.0, 1.0.0)" in located.reason


def test_transient_failure_is_retried(chart_repo: ChartRepository, tmp_path: Path) -> None:
    chart_repo.state.fail_next = 1
    located = locate(chart_repo.url, "1.0.0", tmp_path / "cache")
    assert located.version == "1.0.0" and located.path is not None
    assert chart_repo.paths()[:2] == ["/index.yaml", "/index.yaml"]


def test_fetch_times_out(chart_repo: ChartRepository, tmp_path: Path) -> None:
    chart_repo.state.stall = 5
    located = locate(chart_repo.url, "1.0.0", tmp_path / "cache", timeout=1)
    assert located.path is None and "timed out after 1s" in located.reason


@requires("helm")
def test_credentials_from_helm_config_never_shown(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    with serve_chart_repository(tmp_path / "private", auth=("bot", "s3cret-pw")) as repo:
        repo.publish(write_chart(tmp_path, "podinfo", "1.0.0"))
        config = tmp_path / "repositories.yaml"
        entry = {"name": "private", "url": repo.url, "username": "bot", "password": "s3cret-pw"}
        config.write_text(yaml.safe_dump({"apiVersion": "", "repositories": [entry]}))
        monkeypatch.setenv("HELM_REPOSITORY_CONFIG", str(config))
        assert locate(repo.url, "1.0.0", tmp_path / "cache").version == "1.0.0"
        assert all(auth.startswith("Basic ") for _, _, auth in repo.state.requests)
        entry["password"] = "wr0ng-pw"
        config.write_text(yaml.safe_dump({"repositories": [entry]}))
        failed = locate(repo.url, "1.0.0", tmp_path / "cache2")
    assert failed.path is None and "401" in failed.reason
    assert "wr0ng-pw" not in failed.reason and "s3cret" not in failed.reason


def test_oci_registry_tags_and_pull(registry: OciRegistry, tmp_path: Path) -> None:
    located = locate(registry.url("charts"), "1.x", tmp_path / "cache")
    assert (located.version, chart_version(located)) == ("1.1.0", "1.1.0")
    assert "/v2/charts/podinfo/tags/list" in registry.paths()
    offline = locate(registry.url("charts"), "~1.0", tmp_path / "cache", fetch=False)
    assert offline.path is None  # 1.0.0 was listed but never pulled
    assert "charts pull" in offline.reason


def test_oci_pull_by_digest(registry: OciRegistry, tmp_path: Path) -> None:
    manifest = registry.state.manifests["charts/podinfo"]["1.0.0"]
    digest = next(d for d, body in registry.state.manifests["charts/podinfo"].items()
                  if d.startswith("sha256:") and body == manifest)
    located = locate(registry.url("charts"), digest, tmp_path / "cache")
    assert chart_version(located) == "1.0.0"
    assert locate(registry.url("charts"), digest, tmp_path / "cache", fetch=False).path == \
        located.path


def test_unsafe_archive_from_a_registry_is_refused(registry: OciRegistry,
                                                   tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in (("evil/Chart.yaml", b"apiVersion: v2\nname: evil\nversion: 1.0.0\n"),
                           ("evil/../../escaped.txt", b"x")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    registry.seed("charts/evil", "evil", "1.0.0", buffer.getvalue())
    located = locate(registry.url("charts"), "1.0.0", tmp_path / "cache", chart="evil")
    assert located.path is None
    assert not list(tmp_path.rglob("escaped.txt"))
    assert json.dumps(located.reason)  # a plain message, no traceback object
