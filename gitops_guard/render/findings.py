"""Rule ids of the render family (GG1xx) and how render findings are built."""
from __future__ import annotations

from gitops_guard.model import Finding, Location, Severity

RENDER_FAILED = "GG101"        # kustomize build failed
HELM_TEMPLATE_ERROR = "GG102"  # a chart template does not render
HELM_MISSING_DEPENDENCY = "GG103"  # Chart.yaml dependency not in charts/
SOURCE_SKIPPED = "GG104"       # remote source (other repo, Helm repository, OCI): not rendered
REFERENCE_NOT_FOUND = "GG105"  # a path, ConfigMap or values file the GitOps object names is absent
RENDER_LIMIT = "GG106"         # recursion too deep or a cycle between GitOps objects
RENDER_TIMEOUT = "GG107"       # kustomize / helm ran longer than timeouts.render_seconds
HELM_LOOKUP = "GG108"          # a chart calls `lookup`: offline it returns nothing
CHART_FETCH_FAILED = "GG110"   # a remote chart could not be fetched or failed its digest check
CONFINED = "GG120"             # a path named by repo content leaves the repository (confine.py)
OVER_LIMIT = "GG121"           # kustomize / helm hit its memory or CPU limit (bounded.py)
EXPANDS_TOO_FAR = "GG122"      # a file kustomize reads expands past the load limits (expansion.py)


def timeout_finding(tool: str, what: str, seconds: float, path: str, env: str | None
                    ) -> Finding:
    """GG107: names the environment, the tool and what it was rendering."""
    where = f"environment {env}: " if env else ""
    return render_finding(RENDER_TIMEOUT, f"{where}{tool} timed out after {seconds:g}s "
                          f"rendering {what} (config timeouts.render_seconds); nothing of it "
                          "was checked", path, 0, 0, env)


def render_finding(rule_id: str, message: str, path: str, line: int = 0, column: int = 0,
                   env: str | None = None, severity: Severity = Severity.ERROR) -> Finding:
    return Finding(rule_id, severity, message, Location(path, line, column), source="render",
                   env=env)
