"""The render cache answers only when nothing that changes a Flux render has changed."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.load.base import LoadLimits
from gitops_guard.render import render_environment
from gitops_guard.render.model import Environment
from tests.render.flux.helpers import flux_repo, kustomization


def test_a_sourceignore_above_the_synced_path_invalidates_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    monkeypatch.setenv("GITOPS_GUARD_RENDER_CACHE", str(cache))
    repo = flux_repo(tmp_path / "fleet")
    repo.write("clusters/prod/apps.yaml", kustomization("apps", "./apps/prod"))
    repo.write("apps/prod/cm.yaml", {"apiVersion": "v1", "kind": "ConfigMap",
                                     "metadata": {"name": "kept", "namespace": "a"}})
    repo.write("apps/prod/drafts/cm.yaml", {"apiVersion": "v1", "kind": "ConfigMap",
                                            "metadata": {"name": "draft", "namespace": "a"}})
    repo.commit()
    env = Environment("prod", "clusters/prod", "")

    def names() -> tuple[bool, set[str]]:
        result = render_environment(env, repo.root)
        return result.cached, {d.data["metadata"]["name"] for d in result.documents
                               if d.data["kind"] == "ConfigMap"}

    assert names() == (False, {"kept", "draft"})
    assert names() == (True, {"kept", "draft"})
    repo.write(".sourceignore", "apps/prod/drafts/\n")  # at the source root: scoped to it all
    assert names() == (False, {"kept"})
    repo.write("apps/.sourceignore", "prod/cm.yaml\n")
    assert names() == (False, set())


def test_the_load_limits_are_part_of_the_key(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A build refused at tight `load_limits` (GG122) is not served once they are raised,
    nor a build that passed once they are lowered."""
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    monkeypatch.setenv("GITOPS_GUARD_RENDER_CACHE", str(cache))
    root = tmp_path / "repo"
    (root / "apps").mkdir(parents=True)
    (root / "apps/kustomization.yaml").write_text("resources: [cm.yaml]\n")
    (root / "apps/cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n"
        f"data:\n  a: &v \"{'x' * 1000}\"\n  b: *v\n")  # 2,000 bytes expanded

    def refused(max_bytes: int) -> tuple[bool, list[str]]:
        env = Environment("prod", "apps", "kustomize",
                          load_limits=LoadLimits(max_expanded_bytes=max_bytes))
        result = render_environment(env, root)
        return result.cached, [f.rule_id for f in result.findings]

    assert refused(1500) == (False, ["GG122"])
    assert refused(1500) == (True, ["GG122"])
    assert refused(4000) == (False, [])
    assert refused(1500) == (True, ["GG122"])
