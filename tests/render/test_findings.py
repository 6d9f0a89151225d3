"""How render findings are built: source `render`, the environment named."""
from __future__ import annotations

from gitops_guard.model import Severity
from gitops_guard.render.findings import render_finding, timeout_finding


def test_a_timeout_names_the_environment_tool_and_what_it_rendered() -> None:
    finding = timeout_finding("kustomize", "apps/prod", 120.0, "apps/prod/kustomization.yaml",
                              "prod")
    assert (finding.rule_id, finding.severity, finding.location.path, finding.env) == (
        "GG107", Severity.ERROR, "apps/prod/kustomization.yaml", "prod")
    assert finding.message == ("environment prod: kustomize timed out after 120s rendering "
                               "apps/prod (config timeouts.render_seconds); nothing of it was "
                               "checked")
    assert timeout_finding("helm", "chart web", 2.5, "c", None).message.startswith(
        "helm timed out after 2.5s")


def test_render_finding() -> None:
    finding = render_finding("GG104", "m", "a.yaml", 3, 1, "dev", Severity.INFO)
    assert (finding.source, finding.location.line, finding.severity) == ("render", 3,
                                                                        Severity.INFO)
