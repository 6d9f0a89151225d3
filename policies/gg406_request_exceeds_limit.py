"""GG406: a request above its limit is rejected by the API server."""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule

_QUANTITY = re.compile(r"^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$")
_SUFFIX = {
    "": Decimal(1), "m": Decimal("0.001"), "k": Decimal(10) ** 3, "M": Decimal(10) ** 6,
    "G": Decimal(10) ** 9, "T": Decimal(10) ** 12, "P": Decimal(10) ** 15,
    "E": Decimal(10) ** 18, "Ki": Decimal(2) ** 10, "Mi": Decimal(2) ** 20,
    "Gi": Decimal(2) ** 30, "Ti": Decimal(2) ** 40, "Pi": Decimal(2) ** 50,
    "Ei": Decimal(2) ** 60,
}


def quantity(value: Any) -> Decimal | None:
    """A Kubernetes resource quantity as a number, or None when it cannot be read."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    m = _QUANTITY.match(str(value).strip())
    if m is None or m.group(2) not in _SUFFIX:
        return None
    try:
        return Decimal(m.group(1)) * _SUFFIX[m.group(2)]
    except InvalidOperation:
        return None


@rule(
    id="GG406",
    severity="error",
    title="Request exceeds limit",
    why="The API server rejects a container whose request is above its limit, so the rollout "
        "fails at apply time instead of in review.",
    fix="Lower the request or raise the limit so that request <= limit.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="resources:\n  requests: {memory: 256Mi}\n  limits: {memory: 512Mi}",
    doc_url="https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
    fragments=True,
)
def request_exceeds_limit(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    for path, container in ctx.containers(resource):
        res = container.get("resources")
        requests = res.get("requests") if isinstance(res, dict) else None
        limits = res.get("limits") if isinstance(res, dict) else None
        if not isinstance(requests, dict) or not isinstance(limits, dict):
            continue
        for name, wanted in requests.items():
            low, high = quantity(wanted), quantity(limits.get(name))
            if low is not None and high is not None and low > high:
                yield Violation(
                    f'container "{container.get("name", "?")}" requests {name} {wanted}, '
                    f"above its limit {limits.get(name)}",
                    (*path, "resources", "requests", name))
