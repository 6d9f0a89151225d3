"""What helm-controller does to a chart's output before applying it: postRenderers'
kustomize patches and images (a real kustomize), commonMetadata, then the origin labels."""
from __future__ import annotations

from typing import Any

from gitops_guard.render.flux.postrender import post_render
from gitops_guard.render.sources import Rendered
from tests.conftest import requires

WHERE = ("release.yaml", 4)


def chart_output() -> list[Rendered]:
    deploy = {"apiVersion": "apps/v1", "kind": "Deployment",
              "metadata": {"name": "web", "namespace": "apps", "labels": {"tier": "web"}},
              "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                       "template": {"metadata": {"labels": {"app": "web"}}, "spec": {
                           "containers": [{"name": "web", "image": "nginx:1.27"}]}}}}
    service = {"apiVersion": "v1", "kind": "Service",
               "metadata": {"name": "web", "namespace": "apps"}, "spec": {"ports": [
                   {"port": 80}]}}
    return [Rendered(deploy, "chart/templates/deploy.yaml", 0, 1),
            Rendered(service, "chart/templates/service.yaml", 0, 1)]


ORIGIN = {"helm.toolkit.fluxcd.io/name": "web", "helm.toolkit.fluxcd.io/namespace": "apps"}


def test_without_post_renderers_only_metadata_is_added() -> None:
    spec: dict[str, Any] = {"commonMetadata": {
        "labels": {"team": "a", "helm.toolkit.fluxcd.io/name": "mine"},
        "annotations": {"owner": "ops"}}}
    items, findings = post_render(chart_output(), spec, "web", "apps", WHERE, "prod")
    assert findings == []
    deploy = items[0].data["metadata"]
    assert deploy["labels"] == {"tier": "web", "team": "a", **ORIGIN}  # origin labels win
    assert deploy["annotations"] == {"owner": "ops"}
    assert items[1].data["metadata"]["labels"] == {"team": "a", **ORIGIN}


@requires("kustomize")
def test_kustomize_post_renderers_patch_and_keep_each_objects_source() -> None:
    spec = {"postRenderers": [{"kustomize": {
        "images": [{"name": "nginx", "newTag": "1.28"}],
        "patches": [{"target": {"kind": "Deployment", "name": "web"},
                     "patch": "- {op: replace, path: /spec/replicas, value: 3}\n"},
                    {"patch": "apiVersion: v1\nkind: Service\n"
                              "metadata: {name: web, namespace: apps}\n"
                              "spec: {type: NodePort}\n"}]}}]}
    items, findings = post_render(chart_output(), spec, "web", "apps", WHERE, None)
    assert findings == []
    deploy, service = sorted(items, key=lambda i: i.data["kind"])
    assert deploy.data["spec"]["replicas"] == 3
    assert deploy.data["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.28"
    assert service.data["spec"]["type"] == "NodePort"
    assert [(i.source, i.source_doc) for i in (deploy, service)] == [
        ("chart/templates/deploy.yaml", 0), ("chart/templates/service.yaml", 0)]
    assert deploy.data["metadata"]["labels"] == {"tier": "web", **ORIGIN}


@requires("kustomize")
def test_a_failing_post_renderer_is_a_finding_at_the_release() -> None:
    spec = {"postRenderers": [{"kustomize": {"patches": [
        {"target": {"kind": "Deployment"},
         "patch": "- {op: replace, path: /spec/absent/field, value: 3}\n"}]}}]}
    items, [finding] = post_render(chart_output(), spec, "web", "apps", WHERE, "prod")
    assert (finding.rule_id, finding.location.path, finding.location.line, finding.env) == (
        "GG101", "release.yaml", 4, "prod")
    # kustomize's own error, without kubectl's log prefix (time, pid: never the same twice)
    assert finding.message.startswith("postRenderers kustomize failed: replace operation "), \
        finding.message
    assert len(items) == 2  # the chart's output, unpatched, is still checked
