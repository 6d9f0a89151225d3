"""Remote Helm charts: where a HelmRelease or an Argo CD Application's chart comes from.

    locate_chart(ChartSource, ChartOptions) -> LocatedChart

A chart is found in the content-addressed cache (cache.py) or, when `options.fetch`
is set, fetched first with the real Helm client (fetch.py runs helm-python-sdk in a
child process with a timeout) from an HTTP repository (`index.yaml`, http_index.py) or
an OCI registry (oci.py). Versions are resolved like Helm does (semver.py). What cannot
be found comes back with `path=None` and a `reason` naming the fix; the caller turns it
into one GG104. Never raises for network or archive trouble.
"""
from __future__ import annotations

from gitops_guard.render.charts.model import (
    PULL_COMMAND,
    ChartOptions,
    ChartSource,
    LocatedChart,
    Locator,
    default_cache_dir,
    source_kind,
)

__all__ = ["PULL_COMMAND", "ChartOptions", "ChartSource", "LocatedChart", "Locator",
           "default_cache_dir", "locate_chart", "source_kind"]


def locate_chart(source: ChartSource, options: ChartOptions) -> LocatedChart:
    """The unpacked chart `source` names: from the cache, else fetched when allowed."""
    from gitops_guard.render.charts.locate import locate
    return locate(source, options)
