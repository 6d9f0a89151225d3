"""The run's chart policy from the config and the command line.

    fetch_charts: true|false     # may this run fetch? (check: false, diff / ci: true)
    chart_cache: DIR             # default $XDG_CACHE_HOME/gitops-guard/charts
    timeouts: {chart_fetch_seconds: 60}

A command flag (`--fetch-charts` / `--no-fetch-charts`) beats the config, the config
beats the command's default (commands/check_flags.with_fetch, kept out of render/ so
`check` on files does not import the renderers).
"""
from __future__ import annotations

import os
from pathlib import Path

from gitops_guard.config import Config
from gitops_guard.errors import ConfigError
from gitops_guard.render.charts.model import ChartOptions, default_cache_dir


def cache_dir(config: Config) -> Path:
    raw = config.render.chart_cache
    if not raw:
        return default_cache_dir()
    path = Path(os.path.expandvars(raw)).expanduser()
    path = (config.root / path if not path.is_absolute() else path).resolve()
    if path.is_relative_to(config.root.resolve()):
        raise ConfigError(f"chart_cache: {raw} is inside the repository; a pull request "
                          "could plant charts there (use a directory outside the work tree)")
    return path


def chart_options(config: Config) -> ChartOptions:
    """A cache dir inside the repository (`GITOPS_GUARD_CHART_CACHE` or `XDG_CACHE_HOME`
    in the workspace) is never read or written: a change could commit a chart there that
    renders what it likes, on the head and on the base render alike (a base tree is
    rendered with the working tree's options). Remote charts are then not rendered."""
    folder = cache_dir(config)
    inside = folder.resolve().is_relative_to(config.root.resolve())
    return ChartOptions(folder, fetch=bool(config.render.fetch_charts),
                        timeout_seconds=config.timeouts.chart_fetch_seconds,
                        refused=REFUSED_INSIDE if inside else "")


REFUSED_INSIDE = ("it is inside the repository (a change could plant charts there); point "
                  "GITOPS_GUARD_CHART_CACHE or XDG_CACHE_HOME outside the work tree")
