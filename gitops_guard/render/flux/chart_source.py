"""Where a HelmRelease's chart comes from, as source-controller resolves it.

- `spec.chart.spec` (a HelmChart template): `sourceRef` a HelmRepository (HTTP index,
  or `type: oci`: `<url>/<chart>`), a GitRepository that is this repository (the chart
  is a path), or a Bucket (not rendered); `version` a semver constraint, default `*`.
- `spec.chartRef`: an OCIRepository (`url` is the chart's own reference; `ref.digest`,
  else `ref.semver`, else `ref.tag`, else `latest`) or a HelmChart object (its spec is
  read like the template above).

Remote charts go through the chart cache (render/charts); source objects are looked
up among the resources rendered so far. `valuesFiles` are chart files for a remote
chart, repository files for a GitRepository one.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gitops_guard.model import Severity
from gitops_guard.render.charts import ChartOptions, ChartSource, default_cache_dir, locate_chart
from gitops_guard.render.charts import cache as chart_cache
from gitops_guard.render.charts.fetch import is_exact
from gitops_guard.render.findings import CHART_FETCH_FAILED, render_finding
from gitops_guard.render.flux.sources import git_source_is_repo
from gitops_guard.render.resolve import Resolver, spec_of
from gitops_guard.render.sources import Rendered, as_dict


@dataclass(frozen=True)
class ReleaseChart:
    root: Path  # render_chart's root: the repository, or the cache entry's parent
    chart: str  # the chart dir, relative to root
    remote: bool
    version: str  # resolved version ("" for a chart in this repository)
    values_files: tuple[str, ...]  # relative to root (remote: chart files)


def _options(resolver: Resolver) -> ChartOptions:
    options = resolver.charts
    return options if isinstance(options, ChartOptions) else ChartOptions(
        default_cache_dir(), fetch=False)


def _settled(source: ChartSource, options: ChartOptions) -> bool:
    """An exact version the chart cache already held: a fetching run does not go to the
    repository for it (render/charts/fetch.py), so the render depends only on files and
    the cache state the render cache key holds, and may be cached."""
    return is_exact(source.version) and not options.refused and chart_cache.lookup(
        options.cache_dir, source.url, source.chart, source.version) is not None


def _remote(resolver: Resolver, item: Rendered, source: ChartSource,
            values_files: list[str]) -> ReleaseChart | None:
    options = _options(resolver)
    settled = _settled(source, options)  # before this render fetches anything
    located = locate_chart(source, options)
    if options.fetch and not settled:
        resolver.cacheable = False  # a fetching run resolves against the repository
    if located.path is None:
        if options.fetch:  # like resolver.skip, as a warning: the run meant to fetch
            path, line = resolver.where(item)
            text = f"{item.data.get('kind')} {item.data['metadata'].get('name')}: " \
                   f"{located.reason}"
            resolver.findings.append(render_finding(
                CHART_FETCH_FAILED, f"not rendered: {text}", path, line, 1, resolver.env,
                Severity.WARNING))  # the plan lists GG110 findings as not rendered
        else:
            resolver.skip(item, located.reason)
        return None
    files = tuple(f"{located.path.name}/{posixpath.normpath(f)}" for f in values_files)
    return ReleaseChart(located.path.parent, located.path.name, True, located.version, files)


def _template(resolver: Resolver, item: Rendered, chart: dict[str, Any], namespace: str
              ) -> ReleaseChart | None:
    ref = as_dict(chart.get("sourceRef"))
    kind, name = str(ref.get("kind", "")), str(ref.get("name", ""))
    source_ns = str(ref.get("namespace") or namespace)
    files = [str(f) for f in chart.get("valuesFiles") or ()]
    if not files and isinstance(chart.get("valuesFile"), str):
        files = [chart["valuesFile"]]  # v2beta1's single file
    if kind == "HelmRepository":
        repo = resolver.find("HelmRepository", name, source_ns)
        if repo is None:
            resolver.skip(item, f"source HelmRepository {source_ns}/{name} is not in the "
                          "rendered resources")
            return None
        spec = spec_of(repo)
        url = str(spec.get("url", ""))
        if spec.get("type") == "oci" and not url.startswith("oci://"):
            url = f"oci://{url}"
        source = ChartSource(url, str(chart.get("chart", "")), str(chart.get("version") or ""),
                             f"HelmRepository {source_ns}/{name}", bool(spec.get("insecure")))
        return _remote(resolver, item, source, files)
    if kind in ("GitRepository", ""):
        why = git_source_is_repo(resolver, ref, namespace)
        if why:
            resolver.skip(item, f"chart {chart.get('chart', '?')}: {why}")
            return None
        path = posixpath.normpath(str(chart.get("chart", "")).lstrip("/"))
        return ReleaseChart(resolver.root, path, False, "",
                            tuple(posixpath.normpath(f) for f in files))  # confined later
    resolver.skip(item, f"chart {chart.get('chart', '?')}: source {kind}/{name} is not "
                  "read (a Bucket is outside the repository)")
    return None


def _oci_repository(resolver: Resolver, item: Rendered, name: str, namespace: str
                    ) -> ReleaseChart | None:
    found = resolver.find("OCIRepository", name, namespace)
    if found is None:
        resolver.skip(item, f"chartRef OCIRepository {namespace}/{name} is not in the "
                      "rendered resources")
        return None
    spec = spec_of(found)
    url = str(spec.get("url", "")).rstrip("/")
    ref = as_dict(spec.get("ref"))
    version = str(ref.get("digest") or ref.get("semver") or ref.get("tag") or "latest")
    base, _, chart = url.rpartition("/")
    source = ChartSource(base, chart, version, f"OCIRepository {namespace}/{name}",
                         bool(spec.get("insecure")))
    return _remote(resolver, item, source, [])


def release_chart(resolver: Resolver, item: Rendered, spec: dict[str, Any], namespace: str
                  ) -> ReleaseChart | None:
    """The chart a HelmRelease installs, or None (a skip or finding already recorded)."""
    chart_ref = as_dict(spec.get("chartRef"))
    if chart_ref:
        kind, name = str(chart_ref.get("kind", "")), str(chart_ref.get("name", ""))
        ref_ns = str(chart_ref.get("namespace") or namespace)
        if kind == "OCIRepository":
            return _oci_repository(resolver, item, name, ref_ns)
        if kind == "HelmChart":
            found = resolver.find("HelmChart", name, ref_ns)
            if found is None:
                resolver.skip(item, f"chartRef HelmChart {ref_ns}/{name} is not in the "
                              "rendered resources")
                return None
            return _template(resolver, item, spec_of(found), ref_ns)
        resolver.missing(item, f"chartRef kind {kind or '(none)'} must be OCIRepository or "
                         "HelmChart")
        return None
    return _template(resolver, item, as_dict(as_dict(spec.get("chart")).get("spec")), namespace)
