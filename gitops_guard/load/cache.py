"""The load cache: each file's load result on disk, reused while the file is unchanged.

Entries are keyed by a hash of the file's content, its shown path, the load limits and
the loader code, and stored as marshal data (no pickle: a tampered cache can fail to
decode but cannot run code), one pack per set of files checked together.

Packs are 0600 in 0700 dirs (they hold decoded Secret data). A cache dir that is group-
or world-writable, not this user's, or inside the repository is not used at all (never
read, never written): `usable()` says why on stderr and the check runs uncached.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from gitops_guard import __version__
from gitops_guard.load.base import FileResult, LoadLimits
from gitops_guard.parallel import Background
from gitops_guard.private_dirs import make_private_dir, open_private, refusal

DISABLE_ENV = "GITOPS_GUARD_NO_CACHE"  # the render cache honours it too


def _code_stamp() -> str:
    """The loader code's identity: an edited (editable-install) loader invalidates entries."""
    here = Path(__file__).parent
    parts = [__version__]
    for name in ("base.py", "codec.py", "json.py", "kube.py", "yaml.py", "yaml_fast.py",
                 "yaml_index.py", "yaml_budget.py", "__init__.py"):
        try:
            st = (here / name).stat()
            parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(name)
    return ";".join(parts)


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gitops-guard" / "load"


_MAGIC = b"gitops-guard load pack 1\n"


class LoadCache:
    """Load results on disk: one pack per set of files checked together.

    A pack maps each file's key (a hash of its content, shown path, the load limits and
    this code) to that file's result, marshalled on its own. One pack file per run, not
    one file per input: creating hundreds of small files cost more (0.3 s for 342 files
    here) than parsing them in parallel. A pack is a header, records (32-byte key, 8-byte
    length, entry) and the SHA-256 of all that: a torn or corrupt pack is ignored (and
    rewritten), an entry that fails to decode is parsed again. Written to a temporary
    file renamed into place, so concurrent runs only ever read whole packs; the last
    writer wins. Entries of files no longer in
    the set are dropped when the pack is rewritten; the oldest packs past MAX_PACKS go.
    """

    MAX_PACKS = 64

    def __init__(self, folder: Path, salt: bytes, scope: str) -> None:
        self.folder, self.salt = folder, salt
        self.path = folder / f"{scope}.pack"
        self._old: dict[str, bytes | memoryview] | None = None  # views into the pack read
        self._new: dict[str, bytes | memoryview] = {}
        self._added = False  # an entry was parsed this run (new, changed or undecodable)
        self._unencoded: dict[str, FileResult] = {}  # parsed here: encoded when written
        self._writer: Background | None = None

    @classmethod
    def create(cls, limits: LoadLimits, files: Sequence[tuple[Path, str]],
               folder: Path | None = None) -> LoadCache:
        salt = f"{_code_stamp()}|{limits!r}".encode()
        scope = hashlib.sha256(salt)
        for absolute, shown in files:
            scope.update(f"\0{absolute}\0{shown}".encode("utf-8", "surrogateescape"))
        return cls(folder or default_cache_dir(), salt, scope.hexdigest()[:32])

    @classmethod
    def usable(cls, limits: LoadLimits, files: Sequence[tuple[Path, str]], root: Path,
               folder: Path | None = None) -> LoadCache | None:
        """create(), or None with a note on stderr when the cache dir may not be used."""
        cache = cls.create(limits, files, folder)
        why = refusal(cache.folder, root)
        if why is None:
            return cache
        print(f"gitops-guard: note: load cache {cache.folder} not used: {why}",
              file=sys.stderr)
        return None

    def key(self, shown: str, data: bytes) -> str:
        h = hashlib.sha256(self.salt)
        h.update(b"\0" + shown.encode("utf-8", "surrogateescape") + b"\0")
        h.update(data)
        return h.hexdigest()

    def _pack(self) -> dict[str, bytes | memoryview]:
        if self._old is None:
            self._old = {}
            try:
                raw = memoryview(self.path.read_bytes())
            except OSError:
                return self._old
            body, digest = raw[:-32], raw[-32:]
            if (len(raw) < len(_MAGIC) + 32 or body[:len(_MAGIC)] != _MAGIC
                    or hashlib.sha256(body).digest() != digest):
                return self._old
            at, end = len(_MAGIC), len(body)
            while at + 40 <= end:  # record: 32-byte key, 8-byte length, entry
                size = int.from_bytes(body[at + 32:at + 40], "little")
                if at + 40 + size > end:
                    self._old = {}
                    break
                self._old[body[at:at + 32].hex()] = body[at + 40:at + 40 + size]
                at += 40 + size
        return self._old

    def get(self, key: str) -> FileResult | None:
        from gitops_guard.load.codec import DecodeError, decode

        entry = self._pack().get(key)
        if entry is None:
            return None
        try:
            result = FileResult(*decode(marshal.loads(entry)))
        except (DecodeError, ValueError, EOFError, TypeError):
            return None
        self._new[key] = entry
        return result

    @staticmethod
    def encode(result: FileResult) -> bytes | None:
        """One entry, or None when the result is not plain data (HCL positions)."""
        from gitops_guard.load.codec import encode

        plain = encode(*result)
        if plain is None:
            return None
        try:
            return marshal.dumps(plain)
        except ValueError:  # a value marshal cannot hold: parse this file every run
            return None

    def add(self, key: str, entry: bytes | None) -> None:
        if entry is not None:
            self._new[key] = entry
            self._added = True

    def put(self, key: str, result: FileResult) -> None:
        """An entry encoded only when the pack is written (in the background, with -j)."""
        self._new[key] = b""  # keeps the entry's place in the pack
        self._unencoded[key] = result
        self._added = True

    def flush_in_background(self, jobs: int) -> None:
        """flush(), in a forked child when there are `jobs` > 1 cores to spare; wait()
        before this process ends."""
        if not self._added and self._new.keys() == self._pack().keys():
            return
        self._writer = Background(self.flush, jobs)

    def wait(self) -> None:
        if self._writer is not None:
            self._writer.wait()
            self._writer = None

    def flush(self) -> None:
        """Write the pack when it changed (a file added, changed or gone)."""
        if not self._added and self._new.keys() == self._pack().keys():
            return
        for key, result in self._unencoded.items():
            entry = self.encode(result)
            if entry is None:
                del self._new[key]
            else:
                self._new[key] = entry
        self._unencoded = {}
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            make_private_dir(self.folder)
            tmp.unlink(missing_ok=True)  # a stale one of a killed run with this pid
            try:
                with os.fdopen(open_private(tmp), "wb") as fh:  # streamed, not copied
                    digest = hashlib.sha256()
                    for part in self._records():
                        digest.update(part)
                        fh.write(part)
                    fh.write(digest.digest())
                os.replace(tmp, self.path)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
            self._old, self._added = dict(self._new), False
            self._prune()
        except OSError:
            return  # a read-only or full cache dir: the check still runs, uncached

    def _records(self) -> Iterator[bytes | memoryview]:
        yield _MAGIC
        for key, entry in self._new.items():
            yield bytes.fromhex(key) + len(entry).to_bytes(8, "little")
            yield entry

    def _prune(self) -> None:
        packs = sorted(self.folder.glob("*.pack"), key=_mtime, reverse=True)
        for old in packs[self.MAX_PACKS:]:
            old.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def cache_enabled(requested: bool) -> bool:
    return requested and not os.environ.get(DISABLE_ENV)
