"""Time limits of one run: external tools, policy evaluation, git, the code host.

Config `timeouts:` (schemas/config.schema.json) overrides the defaults:

    timeouts: {render_seconds: 120, policy_seconds: 30, git_seconds: 120, publish_seconds: 60}

`render_seconds` bounds each kustomize / helm run, `policy_seconds` each call of a
Python rule (and each Rego evaluation by the opa binary or server), `git_seconds`
each git command, `publish_seconds` the total time `ci --comment` may spend on the
code host, retries included, `chart_fetch_seconds` each remote chart fetch
(render/charts).
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Timeouts:
    render_seconds: float = 120.0
    policy_seconds: float = 30.0
    git_seconds: float = 120.0
    publish_seconds: float = 60.0
    chart_fetch_seconds: float = 60.0


def timeouts_from(raw: Any) -> Timeouts:
    """The `timeouts:` mapping of a config (already schema-checked); absent keys default."""
    if not isinstance(raw, dict):
        return Timeouts()
    known = {f.name for f in fields(Timeouts)}
    return Timeouts(**{k: float(v) for k, v in raw.items() if k in known})
