"""Changed files the repo-wide plan cannot show: a Helm chart's files, named once per chart
with what to do, instead of a silent "No changes." (real git repositories)."""
from __future__ import annotations

from gitops_guard.plan.uncovered import chart_of, unplanned_charts
from tests.conftest import GitRepo


def test_changed_chart_files_are_named_once_per_chart(git_repo: GitRepo) -> None:
    git_repo.write("charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n")
    git_repo.write("charts/api/Chart.yaml", "apiVersion: v2\nname: api\nversion: 1.0.0\n")
    git_repo.write("apps/a.yaml", "kind: ConfigMap\n")
    git_repo.commit("base")
    for name in ("templates/a.yaml", "templates/b.yaml", "templates/c.yaml", "values.yaml"):
        git_repo.write(f"charts/web/{name}", "x: 1\n")
    git_repo.write("charts/api/values.yaml", "x: 1\n")
    git_repo.write("apps/a.yaml", "kind: Secret\n")
    assert unplanned_charts(git_repo.root, "HEAD") == [
        "charts/api/Chart.yaml: Helm chart charts/api (1 changed file: charts/api/values.yaml):"
        " no environment renders it, so what it deploys is not planned; add one to "
        ".gitops-guard.yaml (`gitops-guard init` proposes app-of-apps charts) (GG104)",
        "charts/web/Chart.yaml: Helm chart charts/web (4 changed files: "
        "charts/web/templates/a.yaml, charts/web/templates/b.yaml, "
        "charts/web/templates/c.yaml, ...): no environment renders it, so what it deploys "
        "is not planned; add one to .gitops-guard.yaml (`gitops-guard init` proposes "
        "app-of-apps charts) (GG104)"]
    assert chart_of("charts/web/templates/a.yaml", git_repo.root) == "charts/web"
    assert chart_of("apps/a.yaml", git_repo.root) is None
