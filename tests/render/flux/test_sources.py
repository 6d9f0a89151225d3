"""A GitRepository that is this repository at another branch, tag or commit is read from
git objects at that ref, as source-controller would check it out (shaped like
flux2-multi-tenancy: a tenant's sync path lives only on branch dev-team)."""
from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from tests.conftest import RunCli
from tests.plan.helpers import GIT_ENV, GitRepo
from tests.render.flux.helpers import (
    URL,
    errors,
    flux_repo,
    git_repository,
    kustomization,
    objects,
    render,
)


def _deploy(tag: str) -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "podinfo", "namespace": "apps"},
            "spec": {"selector": {"matchLabels": {"app": "podinfo"}},
                     "template": {"metadata": {"labels": {"app": "podinfo"}},
                                  "spec": {"containers": [{"name": "podinfo",
                                                           "image": f"podinfo:{tag}"}]}}}}


def _tenant(repo: GitRepo, ref: dict[str, str], path: str = "./staging") -> None:
    repo.write("clusters/prod/tenants.yaml", [
        git_repository("dev-team", ref),
        kustomization("dev-team", path, source="dev-team", targetNamespace="apps")])


def _fleet(tmp_path: Path) -> GitRepo:
    """main holds the fleet; branch dev-team adds staging/ (tag v1 at 6.0, then 6.1)."""
    repo = flux_repo(tmp_path / "fleet")
    _tenant(repo, {"branch": "dev-team"})
    repo.commit("fleet")
    repo.git("checkout", "-q", "-b", "dev-team")
    repo.write("staging/deploy.yaml", _deploy("6.0"))
    repo.commit("tenant 6.0")
    repo.git("tag", "v1")
    repo.write("staging/deploy.yaml", _deploy("6.1"))
    repo.commit("tenant 6.1")
    repo.git("checkout", "-q", "main")
    return repo


def _image(result: Any) -> str:
    image: str = objects(result)["Deployment apps/podinfo"]["spec"]["template"]["spec"][
        "containers"][0]["image"]
    return image


def test_a_path_on_another_branch_is_read_from_that_branch(tmp_path: Path) -> None:
    repo = _fleet(tmp_path)
    assert not (repo.root / "staging").exists()

    result = render(repo)

    assert errors(result) == []
    assert _image(result) == "podinfo:6.1"
    located = next(d for d in result.documents if d.data["kind"] == "Deployment")
    assert located.path == "clusters/prod/tenants.yaml"  # the object that applies it
    assert not (repo.root / "staging").exists()  # the working tree is left alone


def test_tag_and_commit_refs(tmp_path: Path) -> None:
    repo = _fleet(tmp_path)
    _tenant(repo, {"tag": "v1"})
    assert _image(render(repo)) == "podinfo:6.0"
    commit = repo.git("rev-parse", "dev-team").strip()
    _tenant(repo, {"branch": "ignored", "commit": commit})  # commit wins, as in the controller
    assert _image(render(repo)) == "podinfo:6.1"


def test_a_clone_with_only_the_remote_branch(tmp_path: Path) -> None:
    repo = _fleet(tmp_path)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo.root), str(clone)], env=GIT_ENV, check=True)
    subprocess.run(["git", "-C", str(clone), "remote", "set-url", "origin", URL], check=True)
    assert subprocess.run(["git", "-C", str(clone), "branch", "--list", "dev-team"],
                          capture_output=True, text=True, check=True).stdout == ""
    cloned = GitRepo.__new__(GitRepo)
    cloned.root = clone

    assert _image(render(cloned)) == "podinfo:6.1"


def test_a_ref_the_clone_does_not_have_is_a_note_not_an_error(tmp_path: Path) -> None:
    repo = _fleet(tmp_path)
    _tenant(repo, {"branch": "feature-x"})

    result = render(repo)

    assert errors(result) == []
    assert [(f.rule_id, f.message) for f in result.findings] == [
        ("GG104", "not rendered: Kustomization dev-team: source GitRepository/dev-team: "
                  "ref.branch feature-x is not in this clone (fetch it, e.g. "
                  "`git fetch origin feature-x`)")]
    assert "Deployment apps/podinfo" not in objects(result)


def test_a_path_missing_at_the_ref_names_the_ref(tmp_path: Path) -> None:
    repo = _fleet(tmp_path)
    _tenant(repo, {"branch": "dev-team"}, "./production")

    result = render(repo)

    assert [(f.rule_id, f.message.split(" at ")[0]) for f in result.findings] == [
        ("GG105", "Kustomization dev-team: spec.path ./production does not exist")]
    assert "branch dev-team (" in result.findings[0].message


def test_plan_of_a_clean_tree_is_empty(tmp_path: Path, run_cli: RunCli) -> None:
    repo = _fleet(tmp_path)
    repo.write(".gitops-guard.yaml", "environments:\n  prod: {path: clusters/prod}\n")
    repo.commit("config")

    result = run_cli("-C", str(repo.root), "diff", "--base", "HEAD")

    assert result.code == 0, result.out + result.err
    assert "0 added, 0 changed, 0 removed" in result.out
    assert "No changes" in result.out


def test_semver_ref_picks_the_newest_matching_tag(tmp_path: Path) -> None:
    repo = _fleet(tmp_path)
    repo.git("tag", "v1.1.0", "dev-team")
    repo.git("tag", "v2.0.0-rc.1", "dev-team")  # a pre-release: only if asked for
    repo.git("tag", "not-a-version", "dev-team")
    _tenant(repo, {"semver": ">=1.0.0 <2.0.0", "branch": "main"})  # semver wins over branch

    result = render(repo)

    assert errors(result) == []
    assert _image(result) == "podinfo:6.1"
    _tenant(repo, {"semver": "~1.0"})  # tag v1 is 1.0.0
    assert _image(render(repo)) == "podinfo:6.0"
    _tenant(repo, {"semver": ">=3.0.0"})
    assert [f.message for f in render(repo).findings] == [
        "not rendered: Kustomization dev-team: source GitRepository/dev-team: no tag in "
        "this clone matches ref.semver >=3.0.0 (fetch the tags: `git fetch --tags origin`)"]
    _tenant(repo, {"semver": "><1"})
    assert [f.rule_id for f in render(repo).findings] == ["GG104"]
