"""The values the chart locator takes and returns (no behaviour: imported by every module
of the package, so it imports none of them)."""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PULL_COMMAND = "gitops-guard charts pull"


@dataclass(frozen=True)
class ChartSource:
    """What a HelmRelease / Application names."""

    url: str      # "https://host/path" (HTTP index) or "oci://host/path"
    chart: str    # chart name
    version: str  # exact version, semver range, or "" (newest)
    origin: str   # for messages, e.g. "HelmRepository flux-system/podinfo"
    insecure: bool = False  # plain HTTP to an OCI registry (Flux `spec.insecure`)


@dataclass(frozen=True)
class ChartOptions:
    cache_dir: Path
    fetch: bool                   # False: cache only (check / the pre-commit hook)
    timeout_seconds: float = 60.0  # per network operation
    retries: int = 2               # extra attempts after a transient failure
    refused: str = ""              # why cache_dir may not be used ("": it may)
    # what this run already fetched: (url, chart, constraint) -> LocatedChart
    memo: dict[tuple[str, str, str], Any] = field(default_factory=dict, compare=False,
                                                  hash=False)


@dataclass(frozen=True)
class LocatedChart:
    path: Path | None  # unpacked chart dir, None when unavailable
    version: str
    digest: str        # "sha256:<hex>" of the chart archive
    reason: str = ""   # why path is None (becomes a GG104 naming the fix), "" if found


def default_cache_dir() -> Path:
    """`$GITOPS_GUARD_CHART_CACHE`, else `$XDG_CACHE_HOME/gitops-guard/charts`: never in
    the work tree, so a PR cannot plant a chart the guard would trust."""
    explicit = os.environ.get("GITOPS_GUARD_CHART_CACHE")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gitops-guard" / "charts"


def source_kind(url: str) -> str:
    return "oci" if url.startswith("oci://") else "http"


Locator = Callable[[ChartSource, ChartOptions], LocatedChart]
