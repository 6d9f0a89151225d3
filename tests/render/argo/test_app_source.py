"""Where an Argo CD Application's source is read from (render/argo/app_source.py):
`targetRevision` naming another branch reads git objects."""
from __future__ import annotations

from tests.plan.helpers import GitRepo
from tests.render.argo.app_helpers import DEPLOY, app, objects, render


def test_target_revision_reads_another_branch_from_git_objects(app_repo: GitRepo) -> None:
    app_repo.git("checkout", "-q", "-b", "release")
    app_repo.write("web/deploy.yaml", {**DEPLOY, "spec": {**DEPLOY["spec"], "replicas": 9}})
    app_repo.commit("release")
    app_repo.git("checkout", "-q", "main")
    got = objects(render(app_repo, [app("web", {"path": "web", "targetRevision": "release"})]))
    assert got["Deployment web/web"]["spec"]["replicas"] == 9
