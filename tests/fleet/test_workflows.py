"""The CI files of a sharded run: valid YAML, the version and shard count written in, the
shards -> matrix -> merge chain wired."""
from __future__ import annotations

from typing import Any

import yaml

from gitops_guard.fleet.workflows import github_workflow, gitlab_pipeline


def test_the_github_workflow_runs_shards_from_the_matrix_then_merges() -> None:
    text = github_workflow("v1.2.3", 6)
    data: dict[str, Any] = yaml.safe_load(text)
    assert "%(" not in text and "@v1.2.3" in data["env"]["GITOPS_GUARD"]
    jobs = data["jobs"]
    assert "--max 6" in jobs["shards"]["steps"][-1]["run"]
    assert jobs["shard"]["needs"] == "shards"
    assert jobs["shard"]["strategy"]["fail-fast"] is False
    merge = next(job for name, job in jobs.items() if name not in ("shards", "shard"))
    assert "shard" in (merge["needs"] if isinstance(merge["needs"], list) else [merge["needs"]])


def test_the_gitlab_pipeline_is_valid_yaml_with_the_shard_count() -> None:
    text = gitlab_pipeline("v1.2.3", 4)
    data: dict[str, Any] = yaml.safe_load(text)
    assert "%(" not in text and "v1.2.3" in text
    assert any(isinstance(job, dict) and job.get("parallel") == 4 for job in data.values())
