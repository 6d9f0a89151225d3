"""A Helm chart environment rendered with real Helm (helm-python-sdk or the binary)."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.model import Severity
from gitops_guard.render import render_environment
from gitops_guard.render.model import Environment
from tests.conftest import requires

CHART = "infrastructure/charts/guard-agent"


def _chart_env(root: Path, **extra: object) -> Environment:
    return Environment("agent", CHART, "helm", namespace="guard", **extra)  # type: ignore[arg-type]


@requires("helm")
def test_helm_chart_environment_with_values(repo: Path) -> None:
    (repo / "agent-values.yaml").write_text("replicaCount: 4\n")
    env = _chart_env(repo, values=("agent-values.yaml",), set_values={"image": {"tag": "9"}})
    result = render_environment(env, repo, use_cache=False)
    deploy = next(d for d in result.documents if d.data["kind"] == "Deployment")
    assert deploy.data["spec"]["replicas"] == 4
    assert deploy.data["metadata"]["namespace"] == "guard"
    assert deploy.data["spec"]["template"]["spec"]["containers"][0]["image"].endswith(":9")
    assert any(d.data["kind"] == "CustomResourceDefinition" for d in result.documents)


@requires("helm")
def test_chart_template_error_names_template_file_and_line(repo: Path) -> None:
    template = repo / CHART / "templates/deployment.yaml"
    template.write_text(template.read_text().replace(
        "{{ .Values.replicaCount }}", '{{ required "replicaCount is required" .Values.nope }}'))
    result = render_environment(_chart_env(repo), repo, use_cache=False)
    assert result.documents == []
    (finding,) = result.findings
    assert finding.rule_id == "GG102"
    assert finding.location.path == f"{CHART}/templates/deployment.yaml"
    assert finding.location.line == 9
    assert "replicaCount is required" in finding.message


def test_missing_chart_dependency_is_a_finding(repo: Path) -> None:
    chart_yaml = repo / CHART / "Chart.yaml"
    chart_yaml.write_text(chart_yaml.read_text() + "dependencies:\n  - name: redis\n"
                          "    version: 1.0.0\n    repository: https://charts.example.com\n")
    result = render_environment(_chart_env(repo), repo, use_cache=False)
    assert result.documents == []
    (finding,) = result.findings
    assert (finding.rule_id, str(finding.location)) == ("GG103", f"{CHART}/Chart.yaml:6:5")
    # Argo CD and Flux fetch a chart repository's dependency at sync: not a broken chart
    assert finding.severity is Severity.INFO
    assert finding.message.startswith(
        "not rendered: chart dependency 'redis' (https://charts.example.com) is not vendored")


@pytest.mark.parametrize("repository", ["", "file://../missing"])
def test_a_dependency_nothing_can_build_is_an_error(repo: Path, repository: str) -> None:
    chart_yaml = repo / CHART / "Chart.yaml"
    chart_yaml.write_text(chart_yaml.read_text() + "dependencies:\n  - name: redis\n"
                          f"    version: 1.0.0\n    repository: '{repository}'\n")
    (finding,) = render_environment(_chart_env(repo), repo, use_cache=False).findings
    assert (finding.rule_id, finding.severity) == ("GG103", Severity.ERROR)
    assert "missing from charts/" in finding.message and "cannot render" in finding.message


@requires("helm")
def test_a_manifest_that_is_not_yaml_fails_the_chart_as_helm_does(repo: Path) -> None:
    # `helm template` stops with "YAML parse error on <template>"; dropping only the broken
    # object would show it as deleted in the plan.
    template = repo / CHART / "templates/deployment.yaml"
    text = template.read_text()
    line = next(x for x in text.splitlines() if "image:" in x)
    template.write_text(text.replace(line, line.split("image:")[0] + 'image: "unclosed:1'))
    result = render_environment(_chart_env(repo), repo, use_cache=False)
    assert result.documents == []
    (finding,) = result.findings
    assert finding.rule_id == "GG102"
    assert finding.location.path == f"{CHART}/templates/deployment.yaml"
    assert "YAML parse error on" in finding.message
