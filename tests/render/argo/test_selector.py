"""Label selectors over generator parameters and cluster secrets, as Kubernetes reads them."""
from __future__ import annotations

from typing import Any

import pytest

from gitops_guard.render.argo.selector import matches

LABELS = {"env": "prod", "region": "eu", "tier": "1"}


@pytest.mark.parametrize(("selector", "selected"), [
    ({}, True),
    ({"matchLabels": {"env": "prod"}}, True),
    ({"matchLabels": {"env": "prod", "region": "us"}}, False),
    ({"matchLabels": {"tier": 1}}, True),  # values compare as strings
    ({"matchExpressions": [{"key": "env", "operator": "In", "values": ["prod", "dev"]}]},
     True),
    ({"matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["prod"]}]}, False),
    ({"matchExpressions": [{"key": "absent", "operator": "NotIn", "values": ["x"]}]}, True),
    ({"matchExpressions": [{"key": "region", "operator": "Exists"}]}, True),
    ({"matchExpressions": [{"key": "region", "operator": "DoesNotExist"}]}, False),
    ({"matchExpressions": [{"key": "region", "operator": "Gt", "values": ["1"]}]}, False),
    ({"matchLabels": {"env": "prod"},
      "matchExpressions": [{"key": "region", "operator": "In", "values": ["us"]}]}, False),
])
def test_matches(selector: dict[str, Any], selected: bool) -> None:
    assert matches(selector, LABELS) is selected
