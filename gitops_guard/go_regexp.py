"""Go's regexp (RE2) for the places that must match as Go does: Rego's `regex.match`
(OPA) and CEL's `matches`/`find` (the API server). google-re2 is the same engine, so
syntax, ASCII `\\d`/`\\w` and linear time agree."""
from __future__ import annotations

from typing import Any


def compile_go_regexp(pattern: str, max_mem: int | None = None) -> Any:
    """The compiled pattern; ValueError carrying RE2's reason when it does not parse."""
    import re2  # google-re2: imported on the first pattern, not at start-up

    options = re2.Options()
    options.log_errors = False
    if max_mem is not None:
        options.max_mem = max_mem
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else ""
        raise ValueError(reason.decode(errors="replace") if isinstance(reason, bytes)
                         else str(reason)) from None
