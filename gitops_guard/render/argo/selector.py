"""Kubernetes label selectors (matchLabels, matchExpressions) over a flat string map, as
the ApplicationSet controller filters generator parameters and cluster secrets."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _requirement(expr: Mapping[str, Any], labels: Mapping[str, str]) -> bool:
    key, op = str(expr.get("key", "")), str(expr.get("operator", ""))
    values = [str(v) for v in expr.get("values") or ()]
    if op == "In":
        return key in labels and labels[key] in values
    if op == "NotIn":
        return key not in labels or labels[key] not in values
    if op == "Exists":
        return key in labels
    if op == "DoesNotExist":
        return key not in labels
    return False  # an invalid operator matches nothing (the controller reports an error)


def matches(selector: Mapping[str, Any], labels: Mapping[str, str]) -> bool:
    """True when `labels` satisfy `selector` (an empty selector matches everything)."""
    match_labels = selector.get("matchLabels")
    if isinstance(match_labels, Mapping) and any(
            labels.get(str(k)) != str(v) for k, v in match_labels.items()):
        return False
    expressions = selector.get("matchExpressions")
    return all(_requirement(e, labels) for e in expressions or () if isinstance(e, Mapping))
