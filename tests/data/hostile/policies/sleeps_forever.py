"""HOSTILE001: never returns (and swallows Exception on the way)."""
from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation, rule


@rule(id="HOSTILE001", severity="error", title="Sleeps forever", kinds=("ConfigMap",))
def sleeps_forever(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    while True:
        try:
            time.sleep(3600)
        except Exception:  # hostile on purpose: swallows the watchdog
            continue
    yield Violation("unreachable")
