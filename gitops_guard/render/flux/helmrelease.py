"""Flux `HelmRelease` (helm.toolkit.fluxcd.io): what helm-controller installs.

1. the chart (chart_source.py): a HelmRepository (HTTP or OCI) or OCIRepository /
   HelmChart `chartRef` through the chart cache, or a path in this repository;
2. `valuesFiles` (source-controller): when listed they *replace* the chart's
   values.yaml (merged in order; `values.yaml` in the list means the chart's own);
3. values (helm_values.py): `valuesFrom` in order, then `spec.values`;
4. `helm template` as an install: release name `releaseName`, else
   `<targetNamespace>-<name>` with a target namespace, else the name, shortened past 53
   characters like the controller (sha256 suffix); namespace `targetNamespace`, else
   the HelmRelease's; CRDs from `crds/` unless `install.crds: Skip`;
5. post-rendering (postrender.py): kustomize patches and images, commonMetadata, the
   origin labels.

Objects from a remote chart point at the HelmRelease; a repository chart's point at
its template files. `storageNamespace` only says where Helm keeps the release record.
"""
from __future__ import annotations

import hashlib
import posixpath
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from gitops_guard.render.findings import CONFINED
from gitops_guard.render.flux.chart_source import ReleaseChart, release_chart
from gitops_guard.render.flux.helm_values import release_values
from gitops_guard.render.flux.postrender import post_render
from gitops_guard.render.flux.remote_cluster import remote_cluster, sent_to
from gitops_guard.render.helm import load_values, render_chart
from gitops_guard.render.resolve import Resolver, name_namespace, spec_of
from gitops_guard.render.sources import Rendered, as_dict
from gitops_guard.scratch import make_scratch

GROUP_KIND = ("helm.toolkit.fluxcd.io", "HelmRelease")
MAX_RELEASE_NAME = 53


def paths(doc: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """The chart directory, when the chart is a path (in some Git source), and its
    `valuesFiles` (relative to the source root, not the chart: outside its dir)."""
    chart = as_dict(as_dict(spec_of(doc).get("chart")).get("spec"))
    if isinstance(chart.get("chart"), str) and chart["chart"].startswith(("./", "/")):
        yield posixpath.normpath(chart["chart"].lstrip("/")) or ".", "helm"
        for values in chart.get("valuesFiles") or ():
            if isinstance(values, str) and not posixpath.isabs(values):
                yield posixpath.normpath(values), ""


def release_name(spec: dict[str, Any], name: str) -> str:
    """GetReleaseName, then release.ShortenName."""
    full = str(spec.get("releaseName") or (
        f"{spec['targetNamespace']}-{name}" if spec.get("targetNamespace") else name))
    if len(full) <= MAX_RELEASE_NAME:
        return full
    digest = hashlib.sha256(full.encode()).hexdigest()[:12]
    return f"{full[:MAX_RELEASE_NAME - 13]}-{digest}"


def render(resolver: Resolver, item: Rendered, depth: int) -> None:
    spec = spec_of(item.data)
    name, namespace = name_namespace(item.data)
    chart = release_chart(resolver, item, spec, namespace)
    if chart is None:
        return
    if not (chart.root / chart.chart / "Chart.yaml").is_file():
        resolver.missing(item, f"HelmRelease {name}: chart {chart.chart} has no Chart.yaml")
        return
    if not resolver.enter(f"HelmRelease {namespace}/{name}", item, depth):
        return
    items = _render(resolver, item, spec, chart, name, namespace or "default")
    if chart.remote:  # the chart's files are not in the repository: point at the release
        items = [Rendered(r.data, item.source, item.source_doc, item.line) for r in items]
    items, findings = post_render(items, spec, name, namespace, resolver.where(item),
                                  resolver.env)
    resolver.findings.extend(findings)
    resolver.add(sent_to(items, remote_cluster(spec, namespace, item)), depth + 1)


def _render(resolver: Resolver, item: Rendered, spec: dict[str, Any], chart: ReleaseChart,
            name: str, namespace: str) -> list[Rendered]:
    values = release_values(resolver, item, spec, namespace, {})
    target = str(spec.get("targetNamespace") or namespace)
    root, scratch = chart.root, None
    if chart.values_files:
        scratch = make_scratch("helmrelease")
        copied = _with_values_files(resolver, item, chart, scratch)
        if copied is None:  # a values file outside the repository: nothing is rendered
            shutil.rmtree(scratch, ignore_errors=True)
            return []
        root = copied
    try:
        items, findings = render_chart(chart.chart, root, resolver.env,
                                       release=release_name(spec, name), namespace=target,
                                       values=values)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    resolver.findings.extend(findings)
    if str(as_dict(spec.get("install")).get("crds", "Create")) == "Skip":
        prefix = f"{chart.chart}/crds/"
        items = [i for i in items if not i.source.startswith(prefix)]
    return items


def _with_values_files(resolver: Resolver, item: Rendered, chart: ReleaseChart,
                       scratch: Path) -> Path | None:
    """A copy of the chart whose values.yaml is the merge of `valuesFiles` (the chart's
    own values.yaml counts only when listed)."""
    merged, findings = load_values(list(chart.values_files), chart.root, resolver.env,
                                   resolver.where(item)[0])
    resolver.findings.extend(findings)
    if any(f.rule_id == CONFINED for f in findings):
        return None
    target = scratch / chart.chart
    shutil.copytree(chart.root / chart.chart, target, symlinks=True)
    (target / "values.yaml").write_text(yaml.safe_dump(merged, sort_keys=False),
                                        encoding="utf-8")
    return scratch
