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
from tests.conftest import RunCli
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
        entry.write_text('{"items": [], "findings": [], "skipped": []}')


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
