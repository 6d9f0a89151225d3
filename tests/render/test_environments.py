"""Environments rendered through real kubectl kustomize and real Helm (helm-python-sdk)."""
from __future__ import annotations

import subprocess
from pathlib import Path

from gitops_guard.config import load_config
from gitops_guard.render import (
    affected_environments,
    environments_from_config,
    render_environment,
)
from gitops_guard.render.cache import cache_dir
from gitops_guard.render.model import Environment
from tests.conftest import RunCli, requires


def _envs(root: Path) -> dict[str, Environment]:
    return environments_from_config(load_config(root / ".gitops-guard.yaml", root))


def test_environments_from_config_detects_kinds(repo: Path) -> None:
    envs = _envs(repo)
    assert sorted(envs) == ["production", "staging"]
    assert envs["staging"].kind == "plain" and envs["staging"].kubernetes_version == "1.31"


@requires("helm")
def test_check_env_reports_broken_patch_in_the_patch_file(repo: Path, run_cli: RunCli) -> None:
    patch = repo / "apps/production/replicas.yaml"
    patch.write_text(patch.read_text().replace("replicas: 3", 'replicas: "two"'))
    result = run_cli("-C", str(repo), "check", "--env", "production", "-o", "json")
    assert result.code == 1, result.err
    errors = [f for f in result.json()["findings"] if f["severity"] == "error"]
    assert len(errors) == 1, errors
    assert errors[0]["rule_id"].startswith("GG2")
    assert errors[0]["path"] == "apps/production/replicas.yaml"
    assert errors[0]["line"] == 6
    assert errors[0]["env"] == "production"
    staging = run_cli("-C", str(repo), "check", "--env", "staging", "-o", "json")
    assert staging.code == 0, staging.out
    assert all(f["env"] == "staging" for f in staging.json()["findings"])


@requires("helm")
def test_check_without_paths_covers_every_environment(repo: Path, run_cli: RunCli) -> None:
    result = run_cli("-C", str(repo), "check", "-o", "json")
    assert result.code == 0, result.out
    # A finding from a base both environments share names both: "production, staging".
    envs = {f["env"] for f in result.json()["findings"]}
    assert {e for env in envs for e in env.split(", ")} == {"staging", "production"}
    assert "production, staging" in envs


def test_unknown_environment_is_a_usage_error(repo: Path, run_cli: RunCli) -> None:
    result = run_cli("-C", str(repo), "check", "--env", "qa")
    assert result.code == 2
    assert "--env qa: no such environment" in result.err


def test_affected_environments(repo: Path) -> None:
    envs = _envs(repo)
    assert affected_environments(["apps/base/deployment.yaml"], envs, repo) == [
        "staging", "production"]
    assert affected_environments(["apps/production/replicas.yaml"], envs, repo) == [
        "production"]
    assert affected_environments(["clusters/staging/apps.yaml"], envs, repo) == ["staging"]
    assert affected_environments(["infrastructure/charts/guard-agent/values.yaml"], envs,
                                 repo) == ["staging", "production"]
    assert affected_environments(["README.md", "apps/other/x.yaml"], envs, repo) == []


@requires("helm")
def test_second_render_is_served_from_the_cache(repo: Path) -> None:
    env = _envs(repo)["production"]
    first = render_environment(env, repo)
    second = render_environment(env, repo)
    assert not first.cached and second.cached
    assert [d.data for d in second.documents] == [d.data for d in first.documents]
    assert [str(d.locate(("spec", "replicas"))) for d in second.documents] == [
        str(d.locate(("spec", "replicas"))) for d in first.documents]
    (repo / "apps/base/service.yaml").write_text(
        (repo / "apps/base/service.yaml").read_text().replace("9898\n", "9899\n", 1))
    third = render_environment(env, repo)
    assert not third.cached
    assert list(cache_dir().glob("*.json"))
    assert not (repo / ".gitops-guard-cache").exists()


@requires("helm")
def test_a_job_token_in_git_config_keeps_the_cache_entries(repo: Path) -> None:
    """actions/checkout writes each job's token into .git/config: shards and runs that
    restore one cache still share its entries (the remotes alone are in the key)."""
    env = _envs(repo)["production"]
    assert not render_environment(env, repo).cached
    subprocess.run(["git", "-C", str(repo), "config", "http.https://github.com/.extraheader",
                    "AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46am9iLTI="], check=True)
    assert render_environment(env, repo).cached


def test_gitops_objects_written_unusually_are_still_inputs(tmp_path: Path) -> None:
    """The graph skips parsing files that name no GitOps API group; an apiVersion written
    with a YAML escape, or a file in UTF-16, still names one once parsed."""
    cluster = tmp_path / "clusters/one"
    cluster.mkdir(parents=True)
    for app in ("plain", "escaped", "wide", "none"):
        (tmp_path / "apps" / app).mkdir(parents=True)
        (tmp_path / "apps" / app / "cm.yaml").write_text("kind: ConfigMap\n")
    flux = "kind: Kustomization\nspec:\n  path: ./apps/{}\n"
    (cluster / "plain.yaml").write_text(
        "apiVersion: kustomize.toolkit.fluxcd.io/v1\n" + flux.format("plain"))
    (cluster / "escaped.yaml").write_text(
        'apiVersion: "kustomize.toolkit.fluxcd\\x2eio/v1"\n' + flux.format("escaped"))
    (cluster / "wide.yaml").write_bytes(
        ("apiVersion: kustomize.toolkit.fluxcd.io/v1\n" + flux.format("wide"))
        .encode("utf-16"))
    (cluster / "other.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1\n" + flux.format("none"))
    envs = {"one": Environment("one", "clusters/one", kind="plain")}
    for app, affected in (("plain", ["one"]), ("escaped", ["one"]), ("wide", ["one"]),
                          ("none", [])):
        assert affected_environments([f"apps/{app}/cm.yaml"], envs, tmp_path) == affected, app
