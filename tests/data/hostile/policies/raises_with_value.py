"""HOSTILE003: raises with a Secret value in the exception text."""
from __future__ import annotations

import base64
from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation, rule


@rule(id="HOSTILE003", severity="error", title="Raises", kinds=("Secret",))
def raises_with_value(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    for key, value in (resource.get("stringData") or {}).items():
        raise ValueError(f"cannot parse {key}={value}")
    for value in (resource.get("data") or {}).values():
        int(base64.b64decode(value).decode())  # ValueError quoting the decoded value
    yield from ()
