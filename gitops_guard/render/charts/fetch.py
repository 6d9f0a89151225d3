"""Fetch a chart into the cache with the real Helm client, in a child process.

One fetch = one `python -m gitops_guard.render.charts.worker` run (helm-python-sdk's
repo index / registry tags, then pull), bounded by `options.timeout_seconds` and
retried `options.retries` times after a transient failure (connection refused, 5xx,
timeout). The archive is checked against the digest the HTTP index lists, then stored
content-addressed (cache.py). Helm's own cache goes to a private temp dir. The outcome
of each (repository, chart, constraint) is remembered for the rest of the run
(`options.memo`), so base and head of a plan resolve a range once.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from gitops_guard.private_dirs import make_private_dir
from gitops_guard.render.charts import cache
from gitops_guard.render.charts.credentials import http_credentials
from gitops_guard.render.charts.extract import UnsafeArchiveError
from gitops_guard.render.charts.model import ChartOptions, ChartSource, LocatedChart

BACKOFF_SECONDS = 0.5
_EXACT = re.compile(r"^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")


def is_exact(version: str) -> bool:
    """A full version names one chart (Helm looks it up before trying it as a range)."""
    return bool(_EXACT.match(version))


def fetch(source: ChartSource, options: ChartOptions) -> LocatedChart:
    """The chart `source` names, fetched unless an exact version is already cached."""
    key = (cache.normalize_url(source.url), source.chart, source.version)
    remembered = options.memo.get(key)
    if isinstance(remembered, LocatedChart):
        return remembered
    found = cache.lookup(options.cache_dir, source.url, source.chart, source.version) \
        if is_exact(source.version) else None
    located = LocatedChart(found.chart_dir, found.version, found.digest) if found else \
        _fetch(source, options)
    options.memo[key] = located
    return located


def _fetch(source: ChartSource, options: ChartOptions) -> LocatedChart:
    make_private_dir(options.cache_dir)
    with tempfile.TemporaryDirectory(prefix=".fetch-", dir=options.cache_dir) as tmp:
        os.chmod(tmp, 0o700)
        request: dict[str, Any] = {"url": source.url, "chart": source.chart,
                                   "version": source.version, "insecure": source.insecure}
        creds = None if source.url.startswith("oci://") else http_credentials(source.url)
        if creds:
            request.update(username=creds.username, password=creds.password)
        reply: dict[str, Any] = {}
        for attempt in range(options.retries + 1):
            if attempt:
                time.sleep(BACKOFF_SECONDS * 2 ** (attempt - 1))
            dest = Path(tmp) / f"pull-{attempt}"
            dest.mkdir(mode=0o700)
            reply = _run_worker({**request, "dest": str(dest)}, Path(tmp), options)
            if "error" not in reply or not reply.get("transient"):
                break
        if "error" in reply:
            return LocatedChart(None, source.version, "", f"fetching {_label(source)} "
                                f"failed: {reply['error']}")
        return _store(source, options, reply)


def _store(source: ChartSource, options: ChartOptions, reply: dict[str, Any]) -> LocatedChart:
    archive = Path(str(reply["archive"]))
    version = str(reply["version"])
    actual = cache.sha256_file(archive)
    if reply.get("digest") and reply["digest"] != actual:
        return LocatedChart(None, version, "", f"{_label(source)} {version}: the archive's "
                            f"digest {actual} is not the index's {reply['digest']}; not used")
    try:
        entry = cache.store(options.cache_dir, source.url, source.chart, version, archive)
    except (UnsafeArchiveError, ValueError, OSError) as exc:
        return LocatedChart(None, version, "", f"{_label(source)} {version}: {exc}")
    if reply.get("versions"):
        cache.remember_versions(options.cache_dir, source.url, source.chart,
                                [str(v) for v in reply["versions"]])
    return LocatedChart(entry.chart_dir, version, entry.digest)


def _run_worker(request: dict[str, Any], tmp: Path, options: ChartOptions) -> dict[str, Any]:
    env = {**os.environ, "HELM_CACHE_HOME": str(tmp / "helm-cache"),
           "HELM_REPOSITORY_CACHE": str(tmp / "helm-cache" / "repository")}
    started = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, "-m", "gitops_guard.render.charts.worker"],
                              input=json.dumps(request), capture_output=True, text=True,
                              timeout=options.timeout_seconds, env=env, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {time.monotonic() - started:.0f}s "
                f"(timeouts.chart_fetch_seconds)", "transient": True}
    try:
        reply = json.loads(proc.stdout)
    except ValueError:
        reply = None
    if not isinstance(reply, dict):
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        for secret in (request.get("password"), request.get("username")):
            if secret:
                last = last.replace(str(secret), "***")
        return {"error": f"the fetch process failed (exit {proc.returncode}): {last}",
                "transient": False}
    return reply


def _label(source: ChartSource) -> str:
    return f"chart {source.chart} from {source.url} ({source.origin})"
