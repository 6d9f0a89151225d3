"""Split a PR check into N groups of about equal cost, the same way in every shard.

A unit is one affected environment, or FILES: the changed files checked as they are
(plus the whole-repository plan when no environment is affected). Its cost is a first
estimate read from the environment's inputs: the resources its files declare, plus a
fixed render cost per build (kustomize, helm) and per chart (HelmRelease, Argo CD helm
source); the changed files cost their resources alone (nothing is rendered there).
Groups are filled largest unit first into the lightest group (ties: the lower
index, then the unit's name), so every shard computes the same partition from the same
commit without talking to the others.
"""
from __future__ import annotations

import hashlib
import math
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from gitops_guard.errors import UsageError
from gitops_guard.load.datafiles import KUSTOMIZATION_FILES

if TYPE_CHECKING:
    from gitops_guard.render.graph import Graph
    from gitops_guard.render.model import Environment

FILES = ""  # the unit of the changed files checked as they are
# Resource-equivalents: what one build or one chart costs next to one resource (checked
# and planned on both sides: about 4.5 ms of CPU here). Measured on
# benchmarks/fleet_repo.py's clusters (benchmarks/README.md): a resource that `kubectl
# kustomize` builds costs 2.5 (the build ran for the check and for each side of the
# plan); a chart of a few objects about 12 to render, bigger charts more. Since the plan
# reuses the check's render of the working tree, one build and one chart render fewer
# run per environment; the weights, kept, still balance the 100-cluster fleet to 1.08.
RENDER_COST = {"kustomize": 25, "helm": 60, "plain": 2}
KUSTOMIZE_RESOURCE_COST = 2.5
CHART_COST = 20
FILE_COST = 1
_KIND = re.compile(rb"^kind:\s*(\S+)", re.MULTILINE)
_CHARTS = {b"HelmRelease", b"HelmChart"}
_ARGO_HELM = re.compile(rb"^\s+chart:\s*\S", re.MULTILINE)
_YAML = (".yaml", ".yml", ".json")


class Unit(NamedTuple):
    name: str  # an environment, or FILES
    cost: int


class Shard(NamedTuple):
    number: int  # 1-based, as written on the command line (K of K/N)
    total: int


def parse_shard(text: str) -> Shard:
    """`K/N` with 1 <= K <= N."""
    k, sep, n = text.partition("/")
    if sep and k.strip().isdigit() and n.strip().isdigit():
        shard = Shard(int(k), int(n))
        if 1 <= shard.number <= shard.total:
            return shard
    raise UsageError(f"--shard {text}: expected K/N with 1 <= K <= N (e.g. 2/4)")


def shard_from_env(environ: Mapping[str, str]) -> Shard | None:
    """GitLab `parallel:` jobs: CI_NODE_INDEX (1-based) of CI_NODE_TOTAL."""
    index, total = environ.get("CI_NODE_INDEX"), environ.get("CI_NODE_TOTAL")
    if not index or not total:
        return None
    return parse_shard(f"{index}/{total}")


def shard_count(units: Sequence[Unit], most: int, per_shard: int) -> int:
    """How many shards: one per `per_shard` units, at most `most`, at least one."""
    if most < 1 or per_shard < 1:
        raise UsageError("ci shards: --max and --per-shard must be 1 or more")
    return max(1, min(most, math.ceil(len(units) / per_shard)))


def partition(units: Sequence[Unit], total: int) -> list[tuple[str, ...]]:
    """`total` groups of unit names (some may be empty), each in the order of `units`."""
    order = {u.name: i for i, u in enumerate(units)}
    loads = [0] * total
    groups: list[list[str]] = [[] for _ in range(total)]
    for unit in sorted(units, key=lambda u: (-u.cost, order[u.name])):
        lightest = min(range(total), key=lambda i: (loads[i], i))
        loads[lightest] += unit.cost
        groups[lightest].append(unit.name)
    return [tuple(sorted(g, key=order.__getitem__)) for g in groups]


def digest(groups: Sequence[Sequence[str]]) -> str:
    text = "\n".join("\x1f".join(g) for g in groups)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class _Estimator:
    """Costs of environments from their input files; each file is read once."""

    def __init__(self, root: Path) -> None:
        self._root = root.resolve()
        self._files: dict[str, tuple[int, int]] = {}

    def file_cost(self, rel: str, render: bool = True, per_resource: float = 1) -> float:
        """The resources `rel` declares (each `per_resource`), plus its charts when an
        environment renders it (checked as it is, a HelmRelease is one resource)."""
        counts = self._files.get(rel)
        if counts is None:
            counts = self._files[rel] = self._read(rel)
        resources, charts = counts
        return per_resource * resources + (CHART_COST * charts if render else 0)

    def _read(self, rel: str) -> tuple[int, int]:
        path = (self._root / rel).resolve()
        if not rel.endswith(_YAML) or not path.is_relative_to(self._root):
            return 0, 0
        try:
            data = path.read_bytes()
        except OSError:
            return 0, 0
        kinds = _KIND.findall(data)
        charts = sum(1 for k in kinds if k in _CHARTS)
        if b"Application" in kinds and b"argoproj.io" in data:
            charts += len(_ARGO_HELM.findall(data))
        return len(kinds), charts

    def env_cost(self, env: Environment, graph: Graph | None = None) -> int:
        """`graph`: the environment's inputs when they were read already."""
        from gitops_guard.render import environment_inputs

        graph = graph or environment_inputs(env, self._root)
        files = set(graph.files)
        for tree in graph.trees:
            top = self._root / tree
            for folder, dirs, names in os.walk(top):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                rel = Path(folder).relative_to(self._root).as_posix()
                files.update(f"{rel}/{n}" if rel != "." else n for n in names)
        kind = env.kind or ("kustomize" if any(
            (self._root / env.path / name).is_file() for name in KUSTOMIZATION_FILES) else "plain")
        per = KUSTOMIZE_RESOURCE_COST if kind == "kustomize" else 1
        builds = RENDER_COST.get(kind, RENDER_COST["kustomize"])
        return round(builds + sum(self.file_cost(f, per_resource=per) for f in sorted(files)))


def fleet_units(affected: Sequence[str], envs: Mapping[str, Environment], paths: Sequence[str],
                root: Path, graphs: Mapping[str, Graph] | None = None) -> list[Unit]:
    """The units of one PR check, FILES first, then the affected environments in order
    (`graphs`: their inputs, when read already)."""
    estimator = _Estimator(root)
    base = root.resolve()
    files = sum(FILE_COST + estimator.file_cost(Path(p).resolve().relative_to(base).as_posix(),
                                                render=False)
                for p in paths if Path(p).resolve().is_relative_to(base))
    units = [Unit(FILES, max(1, round(files)))]
    units.extend(Unit(name, estimator.env_cost(envs[name], (graphs or {}).get(name)))
                 for name in affected)
    return units
