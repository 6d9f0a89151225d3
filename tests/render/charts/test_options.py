"""The run's chart policy from the config: where the cache is (never inside the repository),
whether the run may fetch, how long a fetch may take."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.config import Config, load_config
from gitops_guard.errors import ConfigError
from gitops_guard.render.charts.options import REFUSED_INSIDE, cache_dir, chart_options


def config(root: Path, text: str) -> Config:
    (root / ".gitops-guard.yaml").write_text(text)
    return load_config(root / ".gitops-guard.yaml", root)


def test_the_config_sets_cache_fetch_and_timeout(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    options = chart_options(config(root, "chart_cache: ../charts\nfetch_charts: true\n"
                                         "timeouts: {chart_fetch_seconds: 7}\n"))
    assert (options.cache_dir, options.fetch, options.timeout_seconds, options.refused) == (
        tmp_path / "charts", True, 7, "")


def test_a_configured_cache_inside_the_repository_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"chart_cache: \.cache/charts is inside the repository"):
        cache_dir(config(tmp_path, "chart_cache: .cache/charts\n"))


def test_a_default_cache_inside_the_workspace_is_refused_not_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITOPS_GUARD_CHART_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / ".cache"))
    options = chart_options(Config(root=tmp_path))
    assert options.cache_dir == tmp_path / ".cache/gitops-guard/charts"
    assert options.refused == REFUSED_INSIDE
    monkeypatch.setenv("GITOPS_GUARD_CHART_CACHE", str(tmp_path.parent / "elsewhere"))
    assert chart_options(Config(root=tmp_path)).refused == ""
