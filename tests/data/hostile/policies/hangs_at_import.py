"""HOSTILE004: its top level never finishes."""
from __future__ import annotations

import time

from gitops_guard.evaluate.api import rule

while True:
    time.sleep(3600)


@rule(id="HOSTILE004", severity="error", title="Never loaded")
def never(resource, ctx):  # type: ignore[no-untyped-def]
    yield from ()
