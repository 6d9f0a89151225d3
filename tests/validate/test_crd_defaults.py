"""A CRD's defaults apply before its schema judges a custom resource, as the API server
defaults before it validates: a `oneOf` that a defaulted field settles is not ambiguous
(Gateway API's GatewaySpecAddress: `type` defaults to IPAddress)."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import RunCli

CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gates.example.com}
spec:
  group: example.com
  names: {kind: Gate, plural: gates}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [mode]
            properties:
              mode: {type: string, default: Open}
              addresses:
                type: array
                items:
                  type: object
                  oneOf:
                  - properties:
                      type: {enum: [IPAddress]}
                      value: {anyOf: [{format: ipv4}, {format: ipv6}]}
                  - properties:
                      type: {not: {enum: [IPAddress]}}
                  properties:
                    type: {type: string, default: IPAddress}
                    value: {type: string}
"""

GATES = """\
apiVersion: example.com/v1
kind: Gate
metadata: {name: defaulted}
spec:
  addresses:
  - value: 10.0.0.1
  - {type: Hostname, value: gate.example.com}
---
apiVersion: example.com/v1
kind: Gate
metadata: {name: wrong}
spec:
  addresses:
  - value: 10.0.0.2
  mode: 3
"""


def test_defaults_settle_a_one_of_and_a_required_field(tmp_path: Path,
                                                      run_cli: RunCli) -> None:
    (tmp_path / "crd.yaml").write_text(CRD)
    (tmp_path / "gates.yaml").write_text(GATES)
    result = run_cli("check", str(tmp_path), "--no-builtin", "--no-apiserver", "-o", "json")
    found = sorted((f["line"], f["rule_id"]) for f in result.json()["findings"])
    # only the resource that is wrong once defaulted: its mode is no string
    assert found == [(15, "GG201")], result.out
