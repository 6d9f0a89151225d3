"""The fleet partition: deterministic, balanced shards of environments, by cost."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.errors import UsageError
from gitops_guard.fleet.partition import (
    CHART_COST,
    FILE_COST,
    FILES,
    KUSTOMIZE_RESOURCE_COST,
    RENDER_COST,
    Shard,
    Unit,
    fleet_units,
    parse_shard,
    partition,
    shard_count,
    shard_from_env,
)
from gitops_guard.render.model import Environment


def test_partition_is_deterministic_balanced_and_keeps_unit_order() -> None:
    units = [Unit(FILES, 3)] + [Unit(f"env-{i:02d}", 10 + (i * 37) % 90) for i in range(40)]
    groups = partition(units, 8)
    assert groups == partition(list(units), 8)
    assert sorted(n for g in groups for n in g) == sorted(u.name for u in units)
    cost = {u.name: u.cost for u in units}
    loads = [sum(cost[n] for n in g) for g in groups]
    assert max(loads) <= 1.25 * (sum(loads) / len(loads))
    order = [u.name for u in units]
    for g in groups:
        assert list(g) == sorted(g, key=order.index)


def test_more_shards_than_units_leaves_some_empty() -> None:
    assert partition([Unit("a", 5), Unit("b", 1)], 3) == [("a",), ("b",), ()]


def test_shard_count_and_shard_parsing() -> None:
    units = [Unit(f"e{i}", 1) for i in range(14)]
    assert [shard_count(units, 8, n) for n in (1, 3, 4, 20)] == [8, 5, 4, 1]
    assert parse_shard("2/4") == Shard(2, 4)
    for bad in ("0/4", "5/4", "2", "a/b", "2/0"):
        with pytest.raises(UsageError, match="K/N"):
            parse_shard(bad)
    assert shard_from_env({"CI_NODE_INDEX": "3", "CI_NODE_TOTAL": "5"}) == Shard(3, 5)
    assert shard_from_env({}) is None


def test_a_chart_costs_a_render_in_its_environment_not_as_a_changed_file(
        tmp_path: Path) -> None:
    release = ("apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\n"
               "metadata: {name: web, namespace: apps}\n")
    (tmp_path / "edge").mkdir()
    (tmp_path / "edge" / "web.yaml").write_text(release)
    envs = {"edge": Environment("edge", "edge", kind="plain")}
    files, edge = fleet_units(["edge"], envs, [str(tmp_path / "edge" / "web.yaml")], tmp_path)
    assert files == Unit(FILES, FILE_COST + 1)  # checked as it is: one resource
    assert edge == Unit("edge", RENDER_COST["plain"] + 1 + CHART_COST)  # rendered
    # kubectl kustomize builds each resource of a kustomize environment three times
    (tmp_path / "region").mkdir()
    (tmp_path / "region" / "kustomization.yaml").write_text("resources: [web.yaml]\n")
    (tmp_path / "region" / "web.yaml").write_text(release.replace("HelmRelease", "Service"))
    envs["region"] = Environment("region", "region")  # kind detected
    region = fleet_units(["region"], envs, [], tmp_path)[1]
    assert region == Unit("region", round(RENDER_COST["kustomize"] + KUSTOMIZE_RESOURCE_COST))
