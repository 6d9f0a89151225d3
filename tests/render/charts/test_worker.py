"""The chart fetch worker's request and reply (JSON), against the loopback chart repository
and OCI registry, with the real Helm SDK; credentials never come back in an error."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gitops_guard.render.charts.worker import handle
from tests.fakes.helm_chart_repository import ChartRepository
from tests.fakes.oci_registry import OciRegistry

# helm-python-sdk itself, not the helm binary: the extra gitops-guard[helm]
pytest.importorskip("helm_python", reason="needs the extra gitops-guard[helm]")


def request(url: str, version: str, dest: Path, **more: Any) -> dict[str, Any]:
    dest.mkdir(parents=True, exist_ok=True)
    return {"url": url, "chart": "podinfo", "version": version, "dest": str(dest),
            "insecure": False, "username": "", "password": "", **more}


def test_an_http_repository_answers_the_version_its_index_digest_and_archive(
        chart_repo: ChartRepository, tmp_path: Path) -> None:
    reply = handle(request(chart_repo.url, "^1.0", tmp_path / "d"))
    assert reply["version"] == "1.1.0"
    assert sorted(reply["versions"]) == ["1.0.0", "1.1.0", "2.0.0-rc.1"]
    assert reply["digest"].startswith("sha256:")
    assert Path(reply["archive"]).name == "podinfo-1.1.0.tgz"


def test_an_oci_registry_answers_from_its_tags(registry: OciRegistry, tmp_path: Path) -> None:
    reply = handle(request(registry.url("charts").replace("http://", "oci://"), "~1.0",
                           tmp_path / "d", insecure=True))
    assert (reply.get("error"), reply["version"], reply["digest"]) == (None, "1.0.0", "")
    assert Path(reply["archive"]).is_file()


def test_no_matching_version_lists_what_exists(chart_repo: ChartRepository,
                                               tmp_path: Path) -> None:
    reply = handle(request(chart_repo.url, ">=5", tmp_path / "d"))
    assert reply == {"error": "no version matches '>=5' (available: 2.0.0-rc.1, 1.1.0, 1.0.0)",
                     "transient": False}


def test_an_error_never_carries_the_credentials(tmp_path: Path) -> None:
    reply = handle(request("http://ci-user:hunter22@127.0.0.1:1/charts", "1.0.0",
                           tmp_path / "d", username="ci-user", password="hunter22"))
    assert reply["transient"] is True  # connection refused: worth a retry
    assert "hunter22" not in reply["error"] and "ci-user" not in reply["error"]
