"""Files -> load results: read, parse (in worker processes past a threshold), cache.

Parsing is most of a check's time. Two levers, both keeping results and their order
identical to a plain serial run:
  - a disk cache keyed by the file's content hash (+ shown path, load limits, this code),
    so an unchanged file is decoded instead of parsed (LoadCache, one pack per run);
  - past PARALLEL_FILES files or PARALLEL_BYTES bytes, the files the cache did not have
    are parsed by the parent and `jobs - 1` forked workers, in contiguous chunks
    collected in order.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from gitops_guard import __version__
from gitops_guard.evaluate.suppress import MARKER  # files holding it keep their text
from gitops_guard.load import load_bytes
from gitops_guard.load.base import UNREADABLE, LoadLimits, load_finding
from gitops_guard.model import Document, Finding
from gitops_guard.parallel import MAX_TASKS, Background, can_fork, share_work

# Worth forking for: below this, fork + pickling the documents back costs about what the
# second core saves (measured on 2 cores with the benchmark corpus: even at ~40 files /
# 0.3 MB, 100 files 91 -> 70 ms, 200 files 179 -> 140 ms, 342 files 0.32 -> 0.23 s).
PARALLEL_FILES = 100
PARALLEL_BYTES = 1024 * 1024
CHUNKS_PER_JOB = 16  # chunks are claimed one at a time: enough of them to even out
CHUNK_BYTES = 256 * 1024  # past jobs * CHUNKS_PER_JOB chunks, about this much per chunk
DISABLE_ENV = "GITOPS_GUARD_NO_CACHE"  # the render cache honours it too


class FileResult(NamedTuple):
    documents: list[Document]
    findings: list[Finding]
    text: str | None  # the file's text when it holds suppression comments


def _code_stamp() -> str:
    """The loader code's identity: an edited (editable-install) loader invalidates entries."""
    here = Path(__file__).parent
    parts = [__version__]
    for name in ("base.py", "codec.py", "json.py", "kube.py", "yaml.py", "yaml_fast.py",
                 "__init__.py"):
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
            self.folder.mkdir(parents=True, exist_ok=True)
            try:
                with tmp.open("wb") as fh:  # streamed: no second copy of the entries
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


def read_file(absolute: Path, shown: str, limits: LoadLimits) -> bytes | Finding:
    try:
        size = absolute.stat().st_size
        if size > limits.max_file_bytes:
            # Read no more than one byte past the limit: the loader reports the size.
            with absolute.open("rb") as fh:
                return fh.read(limits.max_file_bytes + 1)
        return absolute.read_bytes()
    except OSError as exc:
        return load_finding(UNREADABLE, f"cannot read: {exc.strerror}", shown)


def parse(data: bytes, shown: str, limits: LoadLimits) -> FileResult:
    result = load_bytes(data, shown, limits)
    text = data.decode("utf-8", "replace") if MARKER in data else None
    return FileResult(result.documents, result.findings, text)


def load_file(absolute: Path, shown: str, limits: LoadLimits,
              cache: LoadCache | None = None) -> FileResult:
    return load_files([(absolute, shown)], limits, 1, cache)[0]


class _Pending(NamedTuple):
    absolute: Path
    shown: str
    key: str  # "" when there is no cache
    size: int


class _Chunk(NamedTuple):
    items: list[_Pending]
    limits: LoadLimits
    cache: bool  # encode cache entries


def _parse_chunk(chunk: _Chunk) -> list[tuple[FileResult, bytes | None]]:
    """Read (a worker reads again: the parent dropped the bytes), parse, and encode the
    cache entry too when there is a cache, so the parent only stores it."""
    out: list[tuple[FileResult, bytes | None]] = []
    for item in chunk.items:
        data = read_file(item.absolute, item.shown, chunk.limits)
        if not isinstance(data, bytes):
            out.append((FileResult([], [data], None), None))
            continue
        result = parse(data, item.shown, chunk.limits)
        out.append((result, LoadCache.encode(result) if chunk.cache else None))
    return out


def _worth_forking(files: Sequence[tuple[Path, str]], jobs: int) -> bool:
    if jobs < 2 or len(files) < 2 or not can_fork():
        return False
    if len(files) > PARALLEL_FILES:
        return True
    total = 0
    for absolute, _ in files:
        try:
            total += absolute.stat().st_size
        except OSError:
            continue
        if total > PARALLEL_BYTES:
            return True
    return False


def _chunks(items: Sequence[_Pending], count: int) -> list[list[_Pending]]:
    """About `count` contiguous runs of about equal size in bytes, order kept."""
    total = sum(p.size for p in items) or 1
    out: list[list[_Pending]] = [[]]
    done = 0
    for item in items:
        if out[-1] and done >= total * len(out) / count:
            out.append([])
        out[-1].append(item)
        done += item.size
    return out


_Parsed = list[tuple[FileResult, bytes | None]]


def _send(parsed: _Parsed) -> bytes:
    """A worker's chunk for the parent: each file's cache entry (marshal of plain values,
    cheaper both ways than pickling documents), pickled only when it has no entry."""
    return marshal.dumps([(b"m", entry) if entry is not None else
                          (b"p", pickle.dumps(result, pickle.HIGHEST_PROTOCOL))
                          for result, entry in parsed])


def _receive(cache: bool) -> Callable[[bytes], _Parsed]:
    from gitops_guard.load.codec import decode

    def receive(data: bytes) -> _Parsed:
        out: _Parsed = []
        for kind, payload in marshal.loads(data):
            if kind == b"m":
                out.append((FileResult(*decode(marshal.loads(payload))),
                            payload if cache else None))
            else:  # pickled by our own forked worker, never read from disk
                out.append((pickle.loads(payload), None))
        return out
    return receive


def _parse_in_workers(pending: list[_Pending], limits: LoadLimits, jobs: int,
                      cache: bool, meanwhile: Callable[[], object] | None
                      ) -> list[tuple[FileResult, bytes | None]]:
    """Small chunks of files claimed one at a time by this process and `jobs - 1` forked
    workers (parallel.share_work); a worker encodes its results as cache entries, which
    are also what it sends back."""
    total = sum(p.size for p in pending)
    count = min(len(pending), MAX_TASKS, max(jobs * CHUNKS_PER_JOB, total // CHUNK_BYTES))
    chunks = _chunks(pending, count)

    def run(task: int) -> _Parsed:  # entries of these are made when the pack is written
        return _parse_chunk(_Chunk(chunks[task], limits, False))

    def run_encoded(task: int) -> _Parsed:  # a worker always makes the entries it sends
        return _parse_chunk(_Chunk(chunks[task], limits, True))

    parts = share_work(len(chunks), run, jobs, _send, _receive(cache), meanwhile,
                       worker_run=run_encoded)
    return [r for part in parts for r in part]


def load_files(files: Sequence[tuple[Path, str]], limits: LoadLimits, jobs: int = 1,
               cache: LoadCache | None = None,
               meanwhile: Callable[[], object] | None = None) -> list[FileResult]:
    """One result per file, in the order given, whatever `jobs` is. Unreadable files and
    cache hits are handled here; the rest is parsed here or, when there is enough of it,
    by the parent and `jobs - 1` forked workers, the parent calling `meanwhile` (work it
    would do later anyway) once they are started. The cache's pack is written at the end
    (by a forked child when there are workers: `LoadCache.wait()` before exiting)."""
    parallel = _worth_forking(files, jobs)
    results: list[FileResult | None] = []
    pending: list[_Pending] = []
    slots: list[int] = []
    for absolute, shown in files:
        data = read_file(absolute, shown, limits)
        if not isinstance(data, bytes):
            results.append(FileResult([], [data], None))
            continue
        key = cache.key(shown, data) if cache is not None else ""
        hit = cache.get(key) if cache is not None else None
        if hit is None and not parallel:
            hit = parse(data, shown, limits)
            if cache is not None:
                cache.put(key, hit)
        if hit is None:
            slots.append(len(results))
            pending.append(_Pending(absolute, shown, key, len(data)))
        results.append(hit)
    if len(pending) == 1 or (pending and not _worth_forking(
            [(p.absolute, p.shown) for p in pending], jobs)):
        parsed = _parse_chunk(_Chunk(pending, limits, cache is not None))
    else:
        parsed = (_parse_in_workers(pending, limits, jobs, cache is not None, meanwhile)
                  if pending else [])
    for slot, item, (result, entry) in zip(slots, pending, parsed, strict=True):
        results[slot] = result
        if cache is not None:
            if entry is None:
                cache.put(item.key, result)
            else:
                cache.add(item.key, entry)
    if cache is not None:
        cache.flush_in_background(jobs if parallel else 1)
    return [r for r in results if r is not None]
