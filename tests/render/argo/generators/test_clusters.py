"""The cluster generator (render/argo/generators/clusters.py): the clusters the config
declares, in-cluster, selectors, both template dialects."""
from __future__ import annotations

from tests.plan.helpers import GitRepo
from tests.render.argo.helpers import apps, appset, render, template


def test_cluster_generator_from_config(fleet: GitRepo) -> None:
    clusters = ({"name": "Prod EU", "server": "https://eu.example.com",
                 "labels": {"env": "prod"}},
                {"name": "dev", "server": "https://dev.example.com", "labels": {"env": "dev"}})
    tmpl = template("{{nameNormalized}}-shop", "apps/shop", "shop")
    everything = apps(render(fleet, [appset([{"clusters": {}}], tmpl)], clusters))
    assert set(everything) == {"prod-eu-shop", "dev-shop", "in-cluster-shop"}
    assert everything["prod-eu-shop"]["spec"]["destination"]["server"] == \
        "https://eu.example.com"
    chosen = apps(render(fleet, [appset([{"clusters": {"selector": {
        "matchLabels": {"env": "prod"}}}}], tmpl)], clusters))
    assert set(chosen) == {"prod-eu-shop"}  # a selector leaves the local cluster out
    go = {"metadata": {"name": "{{ .name | lower | replace \" \" \"-\" }}-"
                               "{{ .metadata.labels.env }}"},
          "spec": {**tmpl["spec"], "destination": {"server": "{{ .server }}",
                                                    "namespace": "shop"}}}
    assert set(apps(render(fleet, [appset([{"clusters": {"selector": {"matchLabels": {
        "env": "dev"}}}}], go, go=True)], clusters))) == {"dev-dev"}
