"""Find a chart: resolve the version, look in the cache, fetch when allowed."""
from __future__ import annotations

from gitops_guard.render.charts import cache
from gitops_guard.render.charts.model import PULL_COMMAND, ChartOptions, ChartSource, LocatedChart
from gitops_guard.render.charts.semver import ConstraintError


def _label(source: ChartSource) -> str:
    version = f" {source.version}" if source.version else ""
    return f"chart {source.chart}{version} from {source.url} ({source.origin})"


def locate(source: ChartSource, options: ChartOptions) -> LocatedChart:
    """Fetch when allowed (a failed fetch falls back to what the cache holds), else the
    cache alone answers. A refused cache dir answers nothing and is never written."""
    if options.refused:
        return LocatedChart(None, source.version, "", f"{_label(source)}: chart cache "
                            f"{options.cache_dir} not used: {options.refused}")
    if not options.fetch:
        return locate_cached(source, options)
    from gitops_guard.render.charts.fetch import fetch
    fetched = fetch(source, options)
    if fetched.path is not None:
        return fetched
    cached = locate_cached(source, options)
    return cached if cached.path is not None else fetched


def locate_cached(source: ChartSource, options: ChartOptions) -> LocatedChart:
    try:
        version = cache.resolve_offline(options.cache_dir, source.url, source.chart,
                                        source.version)
    except ConstraintError as exc:
        return LocatedChart(None, source.version, "", f"{_label(source)}: {exc}")
    entry = cache.lookup(options.cache_dir, source.url, source.chart, version) if version \
        else None
    if entry is None:
        return LocatedChart(None, source.version, "", f"{_label(source)} is not in the chart "
                            f"cache and this run does not fetch; run `{PULL_COMMAND}` (or "
                            "`check --fetch-charts`) to fetch it")
    return LocatedChart(entry.chart_dir, entry.version, entry.digest)
