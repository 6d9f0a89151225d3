"""A HelmRelease's values as helm-controller merges them: each `valuesFrom` in order (a
ConfigMap or Secret among the rendered resources), then `spec.values` on top."""
from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from gitops_guard.render.flux.helm_values import release_values
from gitops_guard.render.resolve import Resolver
from gitops_guard.render.sources import Rendered

RELEASE = Rendered({"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
                    "metadata": {"name": "web", "namespace": "apps"}}, "release.yaml", None, 3)


def config_map(name: str, data: dict[str, str], namespace: str = "apps") -> Rendered:
    return Rendered({"apiVersion": "v1", "kind": "ConfigMap",
                     "metadata": {"name": name, "namespace": namespace}, "data": data})


def secret(name: str, **fields: Any) -> Rendered:
    return Rendered({"apiVersion": "v1", "kind": "Secret",
                     "metadata": {"name": name, "namespace": "apps"}, **fields})


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.fixture
def resolver(tmp_path: Path) -> Resolver:
    r = Resolver(tmp_path, "prod", {})
    r.add([config_map("base", {"values.yaml": "replicas: 1\nimage: {tag: '1.0'}\n",
                               "other.yaml": "region: eu\n", "tag": "'007'"}),
           config_map("elsewhere", {"values.yaml": "x: 1\n"}, namespace="other"),
           secret("creds", data={"values.yaml": b64("password: s3cret\n"),
                                 "broken": "%%%"}),
           secret("plain", stringData={"values.yaml": "token: t\n"}),
           secret("sealed", sops={"mac": "x"}, data={"values.yaml": "ENC[...]"})])
    return r


def values(resolver: Resolver, spec: dict[str, Any], chart: dict[str, Any] | None = None
           ) -> dict[str, Any]:
    return release_values(resolver, RELEASE, spec, "apps", chart or {"chart": True})


def test_values_from_in_order_then_spec_values(resolver: Resolver) -> None:
    got = values(resolver, {"valuesFrom": [
        {"kind": "ConfigMap", "name": "base"},
        {"kind": "ConfigMap", "name": "base", "valuesKey": "other.yaml"},
        {"kind": "Secret", "name": "creds"},
        {"kind": "Secret", "name": "plain"},
        {"kind": "ConfigMap", "name": "base", "valuesKey": "tag", "targetPath": "image.tag"},
    ], "values": {"replicas": 3, "image": {"pullPolicy": "Always"}}})
    assert got == {"chart": True, "replicas": 3, "region": "eu", "password": "s3cret",
                   "token": "t", "image": {"tag": "007", "pullPolicy": "Always"}}
    assert resolver.findings == []


@pytest.mark.parametrize(("ref", "rule", "message"), [
    ({"kind": "ConfigMap", "name": "absent"}, "GG105",
     "valuesFrom ConfigMap apps/absent (key values.yaml) is not in the rendered resources"),
    ({"kind": "ConfigMap", "name": "elsewhere"}, "GG105", "apps/elsewhere"),  # other namespace
    ({"kind": "ConfigMap", "name": "base", "valuesKey": "nope"}, "GG105", "(key nope)"),
    ({"kind": "Secret", "name": "creds", "valuesKey": "broken"}, "GG105", "(key broken)"),
    ({"kind": "Bucket", "name": "b"}, "GG105", "kind must be ConfigMap or Secret"),
    ({"kind": "Secret", "name": "sealed"}, "GG104", "SOPS-encrypted"),
])
def test_what_cannot_be_read_is_a_finding_at_the_release(
        resolver: Resolver, ref: dict[str, str], rule: str, message: str) -> None:
    assert values(resolver, {"valuesFrom": [ref]}) == {"chart": True}
    [finding] = resolver.findings
    assert (finding.rule_id, finding.location.path, finding.location.line) == (
        rule, "release.yaml", 3)
    assert message in finding.message


def test_an_optional_reference_that_is_absent_is_no_finding(resolver: Resolver) -> None:
    assert values(resolver, {"valuesFrom": [
        {"kind": "ConfigMap", "name": "absent", "optional": True}]}) == {"chart": True}
    assert resolver.findings == []
