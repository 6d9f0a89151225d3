"""Files -> load results: read, parse (in worker processes past a threshold), cache.

Parsing is most of a check's time. Two levers, both keeping results and their order
identical to a plain serial run:
  - the load cache (load/cache.py): an unchanged file is decoded instead of parsed;
  - past PARALLEL_FILES files or PARALLEL_BYTES bytes, the files the cache did not have
    are cut into chunks that this process and `jobs - 1` forked workers claim one at a
    time (parallel.share_work), results collected in file order.
"""
from __future__ import annotations

import marshal
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from gitops_guard.load import load_bytes
from gitops_guard.load.base import (
    SUPPRESSION_MARKER,
    UNREADABLE,
    FileResult,
    LoadLimits,
    load_finding,
    too_large,
)
from gitops_guard.load.cache import LoadCache
from gitops_guard.load.hcl import HclBudget
from gitops_guard.model import Finding
from gitops_guard.parallel import MAX_TASKS, can_fork, share_work

# Worth forking for: below this, fork + pickling the documents back costs about what the
# second core saves (measured on 2 cores with the benchmark corpus: even at ~40 files /
# 0.3 MB, 100 files 91 -> 70 ms, 200 files 179 -> 140 ms, 342 files 0.32 -> 0.23 s).
PARALLEL_FILES = 100
PARALLEL_BYTES = 1024 * 1024
CHUNKS_PER_JOB = 16  # chunks are claimed one at a time: enough of them to even out
CHUNK_BYTES = 256 * 1024  # past jobs * CHUNKS_PER_JOB chunks, about this much per chunk


def read_file(absolute: Path, shown: str, limits: LoadLimits) -> bytes | Finding:
    try:
        size = absolute.stat().st_size
        if size > limits.max_file_bytes:
            return too_large(size, shown, limits)  # none of it is read
        return absolute.read_bytes()
    except OSError as exc:
        return load_finding(UNREADABLE, f"cannot read: {exc.strerror}", shown)


def parse(data: bytes, shown: str, limits: LoadLimits) -> FileResult:
    result = load_bytes(data, shown, limits)
    text = data.decode("utf-8", "replace") if SUPPRESSION_MARKER in data else None
    return FileResult(result.documents, result.findings, text)


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
    hcl = HclBudget(limits)
    for absolute, shown in files:
        data = read_file(absolute, shown, limits)
        if isinstance(data, bytes):
            data = hcl.spend(data, shown)
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
