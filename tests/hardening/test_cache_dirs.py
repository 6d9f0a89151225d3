"""The load cache at rest: private files and dirs, and no dir another user or the PR can
write is ever read (docs/security.md, "Secrets never reach an output")."""
from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from gitops_guard.load.base import FileResult, LoadLimits
from gitops_guard.load.cache import LoadCache
from tests.conftest import RunCli, requires
from tests.hardening.ci_attack import DEPLOYMENT, Attack, attack_repo

BAD = DEPLOYMENT.replace("replicas: 2", 'replicas: "3"')  # GG201: not an integer
PATCHED = """\
resources: [web.yaml]
patches:
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec: {replicas: "3"}
"""


@pytest.fixture
def attack(tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
           ) -> Iterator[Attack]:
    yield from attack_repo(tmp_path, run_cli, monkeypatch)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_load_cache_files_are_0600_in_0700_dirs(attack: Attack) -> None:
    os.umask(0o022)  # what a runner has: the cache must not rely on it
    attack.write("other/web.yaml", DEPLOYMENT)
    seen = attack.cli("check", "other/web.yaml")
    assert seen.code == 0, seen
    xdg = attack.tmp / "xdg"
    packs = list((xdg / "gitops-guard" / "load").glob("*.pack"))
    assert packs and all(_mode(p) == 0o600 for p in packs)
    assert _mode(xdg / "gitops-guard" / "load") == _mode(xdg / "gitops-guard") == 0o700


def test_a_group_or_world_writable_load_cache_is_not_used(attack: Attack) -> None:
    folder = attack.tmp / "xdg" / "gitops-guard" / "load"
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    attack.write("other/web.yaml", DEPLOYMENT)
    seen = attack.cli("check", "other/web.yaml")
    assert seen.code == 0, seen
    assert f"gitops-guard: note: load cache {folder} not used: it is group- or " \
           "world-writable" in seen.err
    assert list(folder.iterdir()) == []  # nothing written there either


def _forge(attack: Attack, scope_of: Path, into: Path, rel: str, text: str) -> None:
    """The attacker's pack: an empty (clean) result for the failing `text` of `rel`, under
    the pack name a run on the runner uses (learnt from a run of their own)."""
    (pack,) = scope_of.glob("*.pack")
    salt = LoadCache.create(LoadLimits(), []).salt
    forged = LoadCache(into, salt, pack.stem)
    forged.put(forged.key(rel, text.encode()), FileResult([], [], None))
    forged.flush()


def test_a_load_cache_committed_in_the_repo_is_never_read(attack: Attack) -> None:
    attack.pr()
    attack.write("other/web.yaml", BAD)
    learnt = attack.ci()  # the attacker's own run: a real failure, and the pack's name
    assert learnt.code == 1 and "other/web.yaml:8:3: error   GG201" in learnt.out, learnt
    committed = attack.root / ".cache" / "gitops-guard" / "load"
    _forge(attack, attack.tmp / "xdg" / "gitops-guard" / "load", committed,
           "other/web.yaml", BAD)
    os.chmod(committed, 0o755)  # as a checkout makes it: of the runner's user, not shared
    attack.mp.setenv("XDG_CACHE_HOME", str(attack.root / ".cache"))  # a workspace cache
    seen = attack.ci()
    assert seen.code == 1, seen
    assert "other/web.yaml:8:3: error   GG201" in seen.out
    assert f"load cache {committed} not used: it is inside the repository" in seen.err
    attack.assert_no_canary(seen)


def _forge_render_entries(folder: Path) -> None:
    """What a PR would commit: every entry says the environment renders nothing."""
    for entry in folder.glob("*.json"):
        entry.write_text('{"items": [], "findings": [], "skipped": [], "failed": []}')


@pytest.mark.parametrize("where", ["in the repository", "group-writable"])
def test_a_render_cache_in_the_repo_or_shared_is_never_read(attack: Attack, where: str
                                                            ) -> None:
    attack.pr()  # a failure only the render shows: the patched Deployment
    attack.write("apps/kustomization.yaml", PATCHED)
    private = attack.tmp / "render-cache"
    attack.mp.setenv("GITOPS_GUARD_RENDER_CACHE", str(private))
    failing = "error   GG201  spec.replicas: \"3\" is not of type integer"
    real = attack.ci()
    assert real.code == 1 and failing in real.out, real
    _forge_render_entries(private)
    forged = attack.ci()  # a private cache is trusted: the forgery works there
    assert forged.code == 0 and failing not in forged.out, str(forged)
    if where == "in the repository":  # committed by the PR, pointed at by the workflow
        planted = attack.root / ".cache" / "render"
        planted.parent.mkdir()
        private.rename(planted)
        attack.mp.setenv("GITOPS_GUARD_RENDER_CACHE", str(planted))
    else:
        private.chmod(0o777)
    seen = attack.ci()
    assert seen.code == 1 and failing in seen.out, seen
    attack.assert_no_canary(seen)


PODINFO = """\
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: charts, namespace: flux-system}
spec: {url: "https://charts.example.invalid", interval: 1h}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: podinfo, namespace: shop}
spec:
  interval: 10m
  chart:
    spec:
      chart: podinfo
      version: 6.5.0
      sourceRef: {kind: HelmRepository, name: charts, namespace: flux-system}
"""


def _plant_chart(cache: Path) -> None:
    """A chart entry as the chart cache stores it: podinfo 6.5.0, rendering a ConfigMap
    that says where it came from."""
    from gitops_guard.render.charts.cache import UNPACKED, repo_dir

    chart = repo_dir(cache, "https://charts.example.invalid") / "podinfo" / "6.5.0" / \
        ("0" * 64) / UNPACKED / "podinfo"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: podinfo\nversion: 6.5.0\n")
    (chart / "templates/cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: planted-by-the-pr}\n")


@requires("helm")
def test_a_chart_cache_in_the_workspace_is_never_read_on_head_or_base(attack: Attack
                                                                     ) -> None:
    attack.write("clusters/staging/podinfo.yaml", PODINFO)
    attack.pr()
    attack.write("apps/web.yaml", DEPLOYMENT.replace("replicas: 2", "replicas: 3"))
    private = attack.tmp / "charts"
    _plant_chart(private)  # the mechanism: a private cache serves what it holds
    attack.mp.setenv("GITOPS_GUARD_CHART_CACHE", str(private))
    served = attack.ci()
    assert "planted-by-the-pr" in served.out, served
    planted = attack.root / ".cache" / "charts"  # committed by the PR, the workflow
    _plant_chart(planted)                           # caching charts in its workspace
    attack.mp.setenv("GITOPS_GUARD_CHART_CACHE", str(planted))
    seen = attack.ci()
    plan = seen.out[seen.out.index("Plan: working tree vs base"):].split("\n::")[0]
    assert "planted-by-the-pr" not in plan, seen  # neither the head nor the base render
    assert "staging: 0 added, 1 changed, 0 removed, 3 unchanged" in plan, seen
    refused = ("HelmRelease podinfo: chart podinfo 6.5.0 from https://charts.example.invalid "
               f"(HelmRepository flux-system/charts): chart cache {planted} not used: it is "
               "inside the repository (a change could plant charts there)")
    assert f"clusters/staging/podinfo.yaml:6:1: warning GG110  not rendered: {refused}" \
        in seen.out, seen
    assert f"clusters/staging/podinfo.yaml:6:1: {refused}" in plan, seen
    attack.assert_no_canary(seen)


def test_the_base_render_reads_and_writes_no_render_cache(attack: Attack) -> None:
    """The plan renders main in a temp tree: no entry of it is written (so none of the
    workspace's could be read for it); the head render's one entry is all there is."""
    attack.pr()
    attack.write("apps/web.yaml", DEPLOYMENT.replace("replicas: 2", "replicas: 3"))
    cache = attack.tmp / "render-cache"
    attack.mp.setenv("GITOPS_GUARD_RENDER_CACHE", str(cache))
    seen = attack.ci()
    assert "staging: 0 added, 1 changed, 0 removed, 1 unchanged" in seen.out, seen
    assert len(list(cache.glob("*.json"))) == 1, seen


@requires("helm")
def test_diff_reads_the_private_render_cache_for_the_working_tree_never_one_in_the_repo(
        attack: Attack) -> None:
    """`diff` renders the working tree through the render cache, as `check` does (and
    `ci` hands the plan its check's renders): entries 0600 in a 0700 dir outside the
    work tree, one for the head and none for the base; a cache dir in the repository is
    never read."""
    os.umask(0o022)
    attack.pr()
    attack.write("apps/web.yaml", DEPLOYMENT.replace("replicas: 2", "replicas: 3"))
    private = attack.tmp / "render-cache"
    attack.mp.setenv("GITOPS_GUARD_RENDER_CACHE", str(private))
    changed = "staging: 0 added, 1 changed, 0 removed, 1 unchanged"
    real = attack.cli("diff", "--base", "main")
    assert real.code == 0 and changed in real.out, real
    entries = list(private.glob("*.json"))
    assert len(entries) == 1 and _mode(entries[0]) == 0o600 and _mode(private) == 0o700
    _forge_render_entries(private)
    forged = attack.cli("diff", "--base", "main")  # a private cache is trusted
    assert changed not in forged.out and "staging: 0 added, 0 changed, 2 removed" in \
        forged.out, forged
    planted = attack.root / ".cache" / "render"  # the same entries, committed by a PR
    planted.parent.mkdir()
    private.rename(planted)
    attack.mp.setenv("GITOPS_GUARD_RENDER_CACHE", str(planted))
    seen = attack.cli("diff", "--base", "main")
    assert seen.code == 0 and changed in seen.out, seen
