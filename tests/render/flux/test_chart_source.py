"""Where a HelmRelease's chart comes from, as source-controller resolves it: a HelmRepository
(HTTP or OCI), this repository, an OCIRepository or HelmChart chartRef; offline, remote
charts come from the chart cache."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gitops_guard.render.charts import ChartOptions
from gitops_guard.render.charts.cache import store
from gitops_guard.render.flux.chart_source import ReleaseChart, release_chart
from gitops_guard.render.resolve import Resolver
from gitops_guard.render.sources import Rendered
from tests.render.charts.archives import chart_archive

RELEASE = Rendered({"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
                    "metadata": {"name": "web", "namespace": "apps"}}, "release.yaml", None, 2)


def source(kind: str, name: str, namespace: str = "flux-system", **spec: Any) -> Rendered:
    api = "source.toolkit.fluxcd.io/v1"
    return Rendered({"apiVersion": api, "kind": kind,
                     "metadata": {"name": name, "namespace": namespace}, "spec": spec})


@pytest.fixture
def resolver(tmp_path: Path) -> Resolver:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    store(cache, "https://charts.example.com", "web", "1.2.0",
          chart_archive(tmp_path / "web.tgz"))
    store(cache, "oci://registry.example.com/charts", "web", "2.0.0",
          chart_archive(tmp_path / "web2.tgz"))
    r = Resolver(tmp_path / "repo", "prod", {})
    r.charts = ChartOptions(cache, fetch=False)
    r.add([source("HelmRepository", "stable", url="https://charts.example.com"),
           source("HelmRepository", "oci", type="oci", url="registry.example.com/charts"),
           source("OCIRepository", "web-oci", url="oci://registry.example.com/charts/web",
                  ref={"tag": "2.0.0"}),
           source("HelmChart", "web-chart", chart="web", version="~1.2",
                  sourceRef={"kind": "HelmRepository", "name": "stable"})])
    return r


def template(chart: str, version: str = "", **ref: str) -> dict[str, Any]:
    return {"chart": {"spec": {"chart": chart, "version": version,
                               "sourceRef": {"namespace": "flux-system", **ref},
                               "valuesFiles": ["values.yaml", "./values-prod.yaml"]}}}


def test_a_helm_repository_chart_comes_from_the_cache(resolver: Resolver) -> None:
    found = release_chart(resolver, RELEASE, template("web", "^1.0", kind="HelmRepository",
                                                      name="stable"), "apps")
    assert found is not None
    assert (found.chart, found.remote, found.version, found.values_files) == (
        "web", True, "1.2.0", ("web/values.yaml", "web/values-prod.yaml"))
    assert (found.root / found.chart / "Chart.yaml").is_file()
    assert resolver.findings == []


@pytest.mark.parametrize(("spec", "version"), [
    ({"chartRef": {"kind": "OCIRepository", "name": "web-oci", "namespace": "flux-system"}},
     "2.0.0"),
    ({"chartRef": {"kind": "HelmChart", "name": "web-chart", "namespace": "flux-system"}},
     "1.2.0"),
])
def test_chart_refs(resolver: Resolver, spec: dict[str, Any], version: str) -> None:
    found = release_chart(resolver, RELEASE, spec, "apps")
    assert found is not None and (found.remote, found.version) == (True, version)


def test_a_chart_in_this_repository_is_a_path(resolver: Resolver) -> None:
    found = release_chart(resolver, RELEASE, template("./charts/web/", kind="GitRepository",
                                                      name="flux-system"), "apps")
    assert found == ReleaseChart(resolver.root, "charts/web", False, "",
                                 ("values.yaml", "values-prod.yaml"))


@pytest.mark.parametrize(("spec", "rule", "says"), [
    (template("web", "3.0.0", kind="HelmRepository", name="stable"), "GG104",
     "not rendered: HelmRelease web: chart web 3.0.0 from https://charts.example.com "
     "(HelmRepository flux-system/stable) is not in the chart cache"),
    (template("web", "1.0.0", kind="HelmRepository", name="oci"), "GG104",
     "from oci://registry.example.com/charts (HelmRepository flux-system/oci)"),
    (template("web", kind="HelmRepository", name="absent"), "GG104",
     "source HelmRepository flux-system/absent is not in the rendered resources"),
    (template("web", kind="Bucket", name="b"), "GG104", "a Bucket is outside the repository"),
    ({"chartRef": {"kind": "OCIRepository", "name": "absent"}}, "GG104",
     "chartRef OCIRepository apps/absent is not in the rendered resources"),
    ({"chartRef": {"kind": "GitRepository", "name": "x"}}, "GG105",
     "chartRef kind GitRepository must be OCIRepository or HelmChart"),
])
def test_what_cannot_be_rendered_says_why_at_the_release(
        resolver: Resolver, spec: dict[str, Any], rule: str, says: str) -> None:
    assert release_chart(resolver, RELEASE, spec, "apps") is None
    [finding] = resolver.findings
    assert (finding.rule_id, finding.location.path, finding.location.line) == (
        rule, "release.yaml", 2)
    assert says in finding.message
