"""The fast conversion gives exactly what the careful one does, or hands over to it."""
from __future__ import annotations

import pytest

from gitops_guard.load import yaml_convert, yaml_fast
from gitops_guard.load.base import LIMIT_EXCEEDED, LoadLimits, LoadResult
from gitops_guard.load.yaml import load_yaml
from tests.load.test_yaml_index import TRICKY

PLAIN = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, tier: "1"}
spec:
  replicas: 3
  paused: false
  progressDeadlineSeconds: 0x10
  template:
    spec:
      containers:
        - name: c
          image: nginx:1.27
          args: ["--a", '--b', 3, 1.5, ~, null, yes, on, 2024-01-01]
          env: []
          ports:
            - containerPort: 80
              name: http
          resources: {}
      "quoted key": !!str 12
      80: port-key
      ~: null-key
---
just a scalar document
---
- a
- [b, [c, {d: e}]]
- {}
---
"""

UNUSUAL = {
    "alias": "a: &x {k: 1}\nb: *x\n",
    "scalar alias": "a: &x v\nb: *x\n",
    "merge": "base: &b {k: 1}\nc:\n  <<: *b\n  j: 2\n",
    "duplicate": "a: 1\nb: 2\na: 3\n",
    "duplicate container": "a: {x: 1}\nb: 2\na: [1]\n",
    "complex key": "? [a, b]\n: c\nd: e\n",
    "tricky": TRICKY,
}


def _shape(result: LoadResult) -> list[object]:
    return [[(d.index, repr(d.data), d.line, [repr(x) for x in d.positions.state()])
             for d in result.documents], result.findings]


def _careful_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def unusual(self: yaml_fast.FastConversion, root: object) -> object:
        raise yaml_fast.Unusual("test: careful conversion only")

    monkeypatch.setattr(yaml_fast.FastConversion, "run", unusual)


@pytest.mark.parametrize("text", [PLAIN, *UNUSUAL.values()], ids=["plain", *UNUSUAL])
def test_same_values_order_and_positions_as_the_careful_conversion(
        text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _shape(load_yaml(text.encode(), "f.yaml", LoadLimits()))
    _careful_only(monkeypatch)
    assert fast == _shape(load_yaml(text.encode(), "f.yaml", LoadLimits()))


@pytest.mark.parametrize("limits", [LoadLimits(max_depth=3), LoadLimits(max_expanded_nodes=20)],
                         ids=["depth", "size"])
def test_limits_are_reported_by_the_careful_conversion(
        limits: LoadLimits, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = load_yaml(PLAIN.encode(), "f.yaml", limits)
    assert LIMIT_EXCEEDED in [f.rule_id for f in fast.findings]
    _careful_only(monkeypatch)
    assert _shape(fast) == _shape(load_yaml(PLAIN.encode(), "f.yaml", limits))


def test_plain_documents_take_the_fast_path_and_unusual_ones_do_not(
        monkeypatch: pytest.MonkeyPatch) -> None:
    careful_calls: list[object] = []
    real = yaml_convert.Converter._convert

    def counted(self: yaml_convert.Converter, node: object, depth: int) -> object:
        careful_calls.append(node)
        return real(self, node, depth)  # type: ignore[arg-type]

    monkeypatch.setattr(yaml_convert.Converter, "_convert", counted)
    load_yaml(b"a: 1\nb: [x, {y: z}]\n", "f.yaml", LoadLimits())
    assert careful_calls == []
    load_yaml(UNUSUAL["alias"].encode(), "f.yaml", LoadLimits())
    assert careful_calls
