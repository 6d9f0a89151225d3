"""Values of the render stage."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gitops_guard.load.base import LoadLimits
from gitops_guard.model import Document, Finding

if TYPE_CHECKING:
    from gitops_guard.render.charts import ChartOptions


@dataclass(frozen=True)
class Environment:
    name: str
    path: str  # repo-relative
    kind: str = ""  # kustomize | helm | plain | terraform-plan ("" = detect)
    kubernetes_version: str | None = None
    namespace: str | None = None
    values: tuple[str, ...] = ()
    set_values: dict[str, Any] = field(default_factory=dict, hash=False)
    live: dict[str, str] | None = field(default=None, hash=False)
    snapshot: str | None = None
    load_restrictor: str = "root-only"  # kustomize --load-restrictor: root-only | none
    timeout_seconds: float = 120.0  # each kustomize / helm run (config timeouts.render_seconds)
    memory_mb: int = 4096  # each kustomize / helm run (config limits.render_memory_mb)
    # what a file kustomize reads may expand to (config load_limits: GG122, expansion.py)
    load_limits: LoadLimits = field(default_factory=LoadLimits)
    # Argo CD clusters (config argocd.clusters) for the ApplicationSet cluster generator
    argocd_clusters: tuple[dict[str, Any], ...] = field(default=(), hash=False)
    # remote Helm charts: the cache and whether this run may fetch (None: cache only)
    charts: ChartOptions | None = field(default=None, hash=False, compare=False)


@dataclass
class RenderResult:
    documents: list[Document] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # remote sources etc., with the reason
    cached: bool = False  # True when nothing was rendered: the on-disk cache answered
    # sources that produced nothing (a refused or failed build): repo-relative kustomize
    # dirs, or the file of a GitOps object whose source failed; what they read is unknown
    failed: list[str] = field(default_factory=list)
