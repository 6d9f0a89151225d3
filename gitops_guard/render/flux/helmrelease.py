"""Flux `HelmRelease` (helm.toolkit.fluxcd.io): what helm-controller installs.

A chart path in this repository via a GitRepository; chart valuesFiles, valuesFrom
ConfigMaps, then spec.values.
"""
from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Any

from gitops_guard.render.findings import CONFINED
from gitops_guard.render.flux.sources import git_source_is_repo
from gitops_guard.render.helm import deep_merge, load_values, render_chart
from gitops_guard.render.resolve import Resolver, name_namespace, spec_of
from gitops_guard.render.sources import Rendered, as_dict
from gitops_guard.render.values import yaml_values

GROUP_KIND = ("helm.toolkit.fluxcd.io", "HelmRelease")


def paths(doc: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """The chart directory, when the chart is a path (in some Git source), and its
    `valuesFiles` (relative to the source root, not the chart: outside its dir)."""
    chart = as_dict(as_dict(spec_of(doc).get("chart")).get("spec"))
    if isinstance(chart.get("chart"), str) and chart["chart"].startswith(("./", "/")):
        yield posixpath.normpath(chart["chart"].lstrip("/")) or ".", "helm"
        for values in chart.get("valuesFiles") or ():
            if isinstance(values, str) and not posixpath.isabs(values):
                yield posixpath.normpath(values), ""


def render(resolver: Resolver, item: Rendered, depth: int) -> None:
    spec = spec_of(item.data)
    name, namespace = name_namespace(item.data)
    if "chartRef" in spec:
        resolver.skip(item, "chartRef (OCIRepository / HelmChart) is a remote source")
        return
    chart = (spec.get("chart") or {}).get("spec") or {}
    why = git_source_is_repo(resolver, chart.get("sourceRef") or {}, namespace)
    if why:
        resolver.skip(item, f"chart {chart.get('chart', '?')}: {why}")
        return
    path = posixpath.normpath(str(chart.get("chart", "")).lstrip("/"))
    if not (resolver.root / path / "Chart.yaml").is_file():
        resolver.missing(item, f"HelmRelease {name}: chart {path} has no Chart.yaml")
        return
    if not resolver.enter(f"HelmRelease {namespace}/{name}", item, depth):
        return
    values, findings = load_values(
        [str(v) for v in chart.get("valuesFiles") or ()], resolver.root, resolver.env,
        item.source)
    resolver.findings.extend(findings)
    if any(f.rule_id == CONFINED for f in findings):
        return  # a values file outside the repository: nothing is rendered with it
    for ref in spec.get("valuesFrom") or ():
        values = _values_from(resolver, item, ref, namespace, values)
    if isinstance(spec.get("values"), dict):
        values = deep_merge(values, spec["values"])
    target = spec.get("targetNamespace") or namespace or "default"
    release = spec.get("releaseName") or (
        f"{spec['targetNamespace']}-{name}" if spec.get("targetNamespace") else name)
    items, findings = render_chart(path, resolver.root, resolver.env, release=str(release),
                                   namespace=str(target), values=values)
    resolver.findings.extend(findings)
    resolver.add(items, depth + 1)


def _values_from(resolver: Resolver, item: Rendered, ref: Any, namespace: str,
                 values: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(ref, dict):
        return values
    kind, name = ref.get("kind", "ConfigMap"), str(ref.get("name", ""))
    if kind != "ConfigMap":
        resolver.skip(item, f"valuesFrom {kind}/{name}: secret values are not read")
        return values
    found = resolver.find("ConfigMap", name, namespace)
    text = ((found or {}).get("data") or {}).get(ref.get("valuesKey") or "values.yaml")
    if text is None:
        if not ref.get("optional"):
            resolver.missing(item, f"valuesFrom ConfigMap {name} (key "
                             f"{ref.get('valuesKey') or 'values.yaml'}) is not in the rendered "
                             "resources")
        return values
    if ref.get("targetPath"):
        nested: dict[str, Any] = {}
        here = nested
        parts = str(ref["targetPath"]).split(".")
        for part in parts[:-1]:
            here = here.setdefault(part, {})
        here[parts[-1]] = text
        return deep_merge(values, nested)
    loaded, findings = yaml_values(str(text))
    resolver.findings.extend(findings)
    return deep_merge(values, loaded)
