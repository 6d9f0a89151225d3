"""The load cache (gitops_guard/load/cache.py): a hit is used, a changed file is parsed
again, a damaged or concurrent pack is never trusted, and `--no-cache` /
GITOPS_GUARD_NO_CACHE turn it off. Its privacy (0600 / 0700, shared or in-repo dirs):
tests/hardening/test_cache_dirs.py."""
from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable
from pathlib import Path

import pytest

from gitops_guard.load import files as load_files_module
from gitops_guard.load.base import LoadLimits
from gitops_guard.load.cache import _MAGIC as MAGIC
from gitops_guard.load.cache import LoadCache
from gitops_guard.load.files import load_files
from tests.conftest import RunCli
from tests.load.test_files import _shape


def _one(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "a.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n")
    return path, "a.yaml"


def _cache(tmp_path: Path, files: list[tuple[Path, str]]) -> LoadCache:
    return LoadCache.create(LoadLimits(), files, tmp_path / "cache")


def test_cache_hit_is_used_and_a_changed_file_is_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = [_one(tmp_path)]
    first = load_files(files, LoadLimits(), cache=_cache(tmp_path, files))[0]
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [
        _cache(tmp_path, files).path.name]  # one pack, no temporary file left
    parsed: list[str] = []
    real_parse = load_files_module.parse
    monkeypatch.setattr(load_files_module, "parse",
                        lambda data, shown, limits: parsed.append(shown) or real_parse(
                            data, shown, limits))
    again = load_files(files, LoadLimits(), cache=_cache(tmp_path, files))[0]
    assert _shape([again]) == _shape([first]) and parsed == []
    files[0][0].write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n")
    changed = load_files(files, LoadLimits(), cache=_cache(tmp_path, files))[0]
    assert changed.documents[0].data["metadata"]["name"] == "b" and parsed == ["a.yaml"]


@pytest.mark.parametrize("damage", [
    lambda raw: raw[:-7],  # torn write
    lambda raw: b"\x00" * (len(raw) - 32) + raw[-32:],  # garbage with the old digest
    lambda raw: b"",
    lambda raw: b"x" + hashlib.sha256(b"x").digest(),  # a valid digest over junk
    lambda raw: _repack(raw, lambda entry: entry[:-3]),  # a valid pack, a torn entry
    lambda raw: _repack(raw, lambda entry: marshal.dumps((99, [], [], None))),  # old format
    lambda raw: _repack(raw, lambda entry: marshal.dumps((1, [("a", 0)], [], None))),
])
def test_corrupt_cache_is_ignored_and_rewritten(tmp_path: Path, damage: object) -> None:
    files = [_one(tmp_path)]
    first = load_files(files, LoadLimits(), cache=_cache(tmp_path, files))[0]
    pack = _cache(tmp_path, files).path
    pack.write_bytes(damage(pack.read_bytes()))  # type: ignore[operator]
    again = load_files(files, LoadLimits(), cache=_cache(tmp_path, files))[0]
    assert _shape([again]) == _shape([first])
    assert _entries(pack.read_bytes()) == _entries(_fresh_pack(tmp_path, files))


def _fresh_pack(tmp_path: Path, files: list[tuple[Path, str]]) -> bytes:
    other = tmp_path / "other"
    load_files(files, LoadLimits(), cache=LoadCache.create(LoadLimits(), files, other))
    return next(other.iterdir()).read_bytes()


def _entries(raw: bytes) -> list[tuple[bytes, bytes]]:
    body, at, out = raw[:-32], len(MAGIC), []
    while at < len(body):
        size = int.from_bytes(body[at + 32:at + 40], "little")
        out.append((body[at:at + 32], body[at + 40:at + 40 + size]))
        at += 40 + size
    return out


def _repack(raw: bytes, change: Callable[[bytes], bytes]) -> bytes:
    body = MAGIC + b"".join(key + len(entry := change(value)).to_bytes(8, "little") + entry
                            for key, value in _entries(raw))
    return body + hashlib.sha256(body).digest()


def test_concurrent_runs_leave_a_whole_pack(tmp_path: Path) -> None:
    files = [_one(tmp_path)]
    one, two = _cache(tmp_path, files), _cache(tmp_path, files)
    load_files(files, LoadLimits(), cache=one)
    load_files(files, LoadLimits(), cache=two)  # both missed; the second rename wins
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [one.path.name]
    ((key, _),) = _entries(one.path.read_bytes())
    assert _cache(tmp_path, files).get(key.hex()) is not None


def test_no_cache_flag_and_env_var(run_cli: RunCli, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    cache, repo = tmp_path / "cache", tmp_path / "repo"  # a cache in the repo is not used
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    repo.mkdir()
    _one(repo)
    assert run_cli("-C", str(repo), "check", "--no-cache", "a.yaml").code == 0
    assert not cache.exists()
    monkeypatch.setenv("GITOPS_GUARD_NO_CACHE", "1")
    assert run_cli("-C", str(repo), "check", "a.yaml").code == 0
    assert not cache.exists()
    monkeypatch.delenv("GITOPS_GUARD_NO_CACHE")
    assert run_cli("-C", str(repo), "check", "-j", "1", "a.yaml").code == 0
    assert any(p.is_file() for p in cache.rglob("*"))
