"""The content-addressed chart cache: `<repo>/<chart>/<version>/<sha256>/`.

Each entry holds the archive as fetched (`chart.tgz`, its sha256 is the directory name,
checked again on every lookup of a fresh entry) and the unpacked chart (`unpacked/<name>/`).
`<repo>` is a hash of the normalised repository URL (the URL itself is in `repo.txt`).
The last versions list fetched per chart (`versions/<chart>.json`) lets an offline run
resolve a range the way the last online run did. Files 0600, directories 0700; a cache
dir that is not the user's or that others can write to (a shared or carelessly restored
one could hold a planted chart) is not read, like the render cache's.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from gitops_guard.private_dirs import make_private_dir
from gitops_guard.render.charts.semver import best_match

ARCHIVE = "chart.tgz"
UNPACKED = "unpacked"


@dataclass(frozen=True)
class CacheEntry:
    version: str
    digest: str  # "sha256:<hex>"
    chart_dir: Path


def normalize_url(url: str) -> str:
    return url.strip().rstrip("/")


def repo_dir(cache_dir: Path, url: str) -> Path:
    key = hashlib.sha256(normalize_url(url).encode()).hexdigest()[:32]
    return cache_dir / key


def _safe_name(name: str) -> str:
    """Chart names and versions become path parts: refuse anything that could climb."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        raise ValueError(f"unsafe chart name or version {name!r}")
    return name


def trusted(cache_dir: Path) -> bool:
    """`cache_dir` is a dir of the user's that nobody else can write to."""
    try:
        st = cache_dir.lstat()
    except OSError:
        return False
    return (stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid()
            and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def lookup(cache_dir: Path, url: str, chart: str, version: str, digest: str = ""
           ) -> CacheEntry | None:
    """The cached chart for an exact `version` (and `digest` when known)."""
    if not trusted(cache_dir):
        return None
    try:
        base = repo_dir(cache_dir, url) / _safe_name(chart) / _safe_name(version)
    except ValueError:
        return None
    if not base.is_dir():
        return None
    for entry in sorted(base.iterdir()):
        hexdigest = entry.name
        if digest and f"sha256:{hexdigest}" != digest:
            continue
        unpacked = entry / UNPACKED
        dirs = [d for d in unpacked.iterdir() if d.is_dir()] if unpacked.is_dir() else []
        if len(dirs) == 1 and (dirs[0] / "Chart.yaml").is_file():
            return CacheEntry(version, f"sha256:{hexdigest}", dirs[0])
    return None


def state_digest(cache_dir: Path) -> str:
    """A digest of what an offline lookup can find: each repository's version listings
    and its entries' names (`<chart>/<version>/<sha256>`); the unpacked files are
    content-addressed by those names."""
    digest = hashlib.sha256()
    if not cache_dir.is_dir():
        return "empty"
    for repo in sorted(p for p in cache_dir.iterdir() if p.is_dir() and
                       not p.name.startswith(".")):
        for chart in sorted(p for p in repo.iterdir() if p.is_dir()):
            if chart.name == "versions":
                for listing in sorted(chart.glob("*.json")):
                    digest.update(f"{repo.name}/{listing.name}\0".encode())
                    digest.update(listing.read_bytes())
                continue
            for version in sorted(p for p in chart.iterdir() if p.is_dir()):
                names = sorted(e.name for e in version.iterdir() if not e.name.startswith("."))
                digest.update(f"{repo.name}/{chart.name}/{version.name}/{names}\0".encode())
    return digest.hexdigest()


def cached_versions(cache_dir: Path, url: str, chart: str) -> list[str]:
    """Versions to resolve a range against offline: the last fetched list and what is
    cached (a digest pull is cached under its digest)."""
    if not trusted(cache_dir):
        return []
    try:
        listing = repo_dir(cache_dir, url) / "versions" / f"{_safe_name(chart)}.json"
        base = repo_dir(cache_dir, url) / _safe_name(chart)
    except ValueError:
        return []
    listed: list[str] = []
    if listing.is_file():
        try:
            data = json.loads(listing.read_text(encoding="utf-8"))
            listed = [str(v) for v in data.get("versions", [])]
        except (OSError, ValueError, AttributeError):
            pass
    stored = sorted(d.name for d in base.iterdir()) if base.is_dir() else []
    return list(dict.fromkeys([*listed, *stored]))


def resolve_offline(cache_dir: Path, url: str, chart: str, wanted: str) -> str | None:
    return best_match(wanted, cached_versions(cache_dir, url, chart))


def remember_versions(cache_dir: Path, url: str, chart: str, versions: list[str]) -> None:
    folder = repo_dir(cache_dir, url)
    make_private_dir(folder / "versions")
    _write_private(folder / "repo.txt", normalize_url(url).encode())
    _write_private(folder / "versions" / f"{_safe_name(chart)}.json",
                   json.dumps({"versions": versions}).encode())


def _write_private(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return f"sha256:{digest.hexdigest()}"


def store(cache_dir: Path, url: str, chart: str, version: str, archive: Path) -> CacheEntry:
    """Unpack `archive` safely into its content-addressed place; returns the entry.
    A concurrent run storing the same entry is harmless: the first rename wins."""
    from gitops_guard.render.charts.extract import extract_chart
    digest = sha256_file(archive)
    base = repo_dir(cache_dir, url) / _safe_name(chart) / _safe_name(version)
    final = base / digest.split(":", 1)[1]
    make_private_dir(base)
    _write_private(repo_dir(cache_dir, url) / "repo.txt", normalize_url(url).encode())
    staging = Path(tempfile.mkdtemp(dir=base, prefix=".tmp-"))
    try:
        os.chmod(staging, 0o700)
        shutil.copyfile(archive, staging / ARCHIVE)
        os.chmod(staging / ARCHIVE, 0o600)
        extract_chart(staging / ARCHIVE, staging / UNPACKED)
        try:
            os.rename(staging, final)
        except OSError:
            if not final.is_dir():
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    found = lookup(cache_dir, url, chart, version, digest)
    if found is None:
        raise ValueError(f"chart archive {chart}-{version} has no Chart.yaml at its top")
    return found
