"""The chart locator's values: the default cache dir (never in the work tree) and the kind
of a chart source."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.render.charts.model import default_cache_dir, source_kind


@pytest.mark.parametrize(("env", "expected"), [
    ({"GITOPS_GUARD_CHART_CACHE": "/srv/charts", "XDG_CACHE_HOME": "/x"}, "/srv/charts"),
    ({"XDG_CACHE_HOME": "/x"}, "/x/gitops-guard/charts"),
    ({"HOME": "/home/ci"}, "/home/ci/.cache/gitops-guard/charts"),
])
def test_default_cache_dir(monkeypatch: pytest.MonkeyPatch, env: dict[str, str],
                           expected: str) -> None:
    for name in ("GITOPS_GUARD_CHART_CACHE", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert default_cache_dir() == Path(expected)


@pytest.mark.parametrize(("url", "kind"), [("oci://ghcr.io/org/charts", "oci"),
                                           ("https://charts.example.com", "http")])
def test_source_kind(url: str, kind: str) -> None:
    assert source_kind(url) == kind
