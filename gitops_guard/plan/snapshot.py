"""Snapshot target: objects exported with `kubectl get -o yaml` (List kinds included), offline.

As with a live cluster, only objects the environment deploys are compared, and
only the fields it sets: server defaults and fields other managers own are not
changes. Fields the manifests stopped setting are found through the
`last-applied-configuration` annotation when the export has it.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gitops_guard.check import load_files
from gitops_guard.config import Config
from gitops_guard.discover import discover_files
from gitops_guard.errors import UsageError
from gitops_guard.plan.fields import list_key
from gitops_guard.plan.identity import cluster_scoped_crds, identity_of
from gitops_guard.plan.masking import LAST_APPLIED
from gitops_guard.plan.model import Identity
from gitops_guard.plan.sources import Objects
from gitops_guard.render.model import Environment

KEEP_ALWAYS = ("apiVersion", "kind")


def project(live: Any, desired: Any, applied: Any = None) -> Any:
    """`live` cut down to the fields `desired` (or the last applied manifest) sets."""
    if isinstance(live, dict) and isinstance(desired, dict):
        applied = applied if isinstance(applied, dict) else {}
        keys = [k for k in live if k in desired or k in applied]
        return {k: project(live[k], desired.get(k), applied.get(k)) for k in keys}
    if isinstance(live, list) and isinstance(desired, list):
        key = list_key(live)
        if key and key == list_key(desired):
            wanted = {item[key]: item for item in desired}
            return [project(item, wanted[item[key]]) if item[key] in wanted else item
                    for item in live]
    if isinstance(live, list) and isinstance(desired, list) and len(live) == len(desired):
        applied = applied if isinstance(applied, list) and len(applied) == len(live) else \
            [None] * len(live)
        return [project(lv, dv, av) for lv, dv, av in zip(live, desired, applied, strict=True)]
    return live


def _last_applied(obj: dict[str, Any]) -> Any:
    meta = obj.get("metadata")
    annotations = meta.get("annotations") if isinstance(meta, dict) else None
    raw = annotations.get(LAST_APPLIED) if isinstance(annotations, dict) else None
    try:
        return json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def compare_with_cluster(cluster: Objects, desired: Objects, default_ns: str) -> Objects:
    """The cluster's copy of each desired object, projected onto what the manifests set."""
    kinds = cluster_scoped_crds(d for d, _ in (*cluster, *desired))
    by_id: dict[Identity, tuple[dict[str, Any], str]] = {
        identity_of(obj, default_ns, kinds): (obj, src) for obj, src in cluster}
    out: Objects = []
    for obj, _ in desired:
        found = by_id.get(identity_of(obj, default_ns, kinds))
        if found is not None:
            live, src = found
            out.append((project(live, obj, _last_applied(live)), src))
    return out


def load_snapshot(folder: Path, config: Config) -> Objects:
    files = discover_files([str(folder)], config.root, ("**/*.yaml", "**/*.yml", "**/*.json"), ())
    docs, _ = load_files(files, config.load_limits)
    return [(d.data, d.path) for d in docs if d.is_kubernetes]


def snapshot_before(env: Environment, after: Objects, option: str | None,
                    config: Config) -> Objects:
    where = option or env.snapshot
    if not where:
        raise UsageError(f"environment {env.name}: no snapshot (pass --snapshot DIR or set "
                         f"environments.{env.name}.snapshot)")
    folder = Path(where) if Path(where).is_absolute() else (Path.cwd() / where)
    if option is None:
        folder = config.root / where
    if not folder.exists():
        raise UsageError(f"snapshot {where}: no such file or directory")
    cluster = load_snapshot(folder, config)
    return compare_with_cluster(cluster, after, env.namespace or "default")
