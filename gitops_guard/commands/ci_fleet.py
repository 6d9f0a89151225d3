"""`gitops-guard ci` across the CI's job matrix (docs/fleet.md):

    ci shards [--max N] [--per-shard N]     # the matrix, as JSON for fromJSON()
    ci --shard K/N --bundle FILE            # one group; CI_NODE_INDEX/CI_NODE_TOTAL also work
    ci merge BUNDLE...                      # one verdict, comment, SARIF, JUnit, summary

Every shard computes the same run (commands/ci.py gather) and the same partition, checks
and plans its group, and writes a bundle instead of reporting. The merge joins the
bundles (fleet/merge.py) and emits exactly what one unsharded `ci` would.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from gitops_guard.check import Gathered, finish_check, gather_check
from gitops_guard.commands import check_flags
from gitops_guard.commands.ci_run import (
    CiRun,
    build_ci_plan,
    emit,
    gate_code,
    gather,
    plan_wanted,
    report_options,
    with_ci_config,
)
from gitops_guard.config import Config
from gitops_guard.errors import GuardError, UsageError
from gitops_guard.fleet.bundle import Bundle, BundleError, RunKey, read_bundle, write_bundle
from gitops_guard.fleet.partition import (
    FILES,
    Shard,
    Unit,
    digest,
    fleet_units,
    parse_shard,
    partition,
    shard_count,
    shard_from_env,
)
from gitops_guard.model import CheckResult
from gitops_guard.plan.gittree import resolve_ref
from gitops_guard.plan.model import Plan
from gitops_guard.prcontext import PRContext
from gitops_guard.timeouts import Timeouts

if TYPE_CHECKING:
    from gitops_guard.render.model import RenderResult

ACTIONS = ("shards", "merge")
# Flags that do not change what a shard computes: they may differ between shards and merge.
_NOT_CHECK_FLAGS = frozenset({
    "func", "command", "chdir", "fleet", "shard", "bundle", "max_shards", "per_shard",
    "comment", "comment_key", "sarif", "junit", "color", "jobs", "no_cache", "result",
    "base", "head"})


def add_fleet_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("fleet", nargs="*", metavar="shards|merge BUNDLE",
                   help="`shards`: print the job matrix; `merge BUNDLE...`: join shard bundles")
    p.add_argument("--shard", metavar="K/N",
                   help="check group K of N and write --bundle (default: GitLab's "
                        "CI_NODE_INDEX/CI_NODE_TOTAL)")
    p.add_argument("--bundle", metavar="FILE", help="where a shard writes its result")
    p.add_argument("--max", dest="max_shards", type=int, default=8, metavar="N",
                   help="ci shards: at most N shards (default 8)")
    p.add_argument("--per-shard", type=int, default=4, metavar="N",
                   help="ci shards: one shard per N environments (default 4)")


def fleet_mode(args: argparse.Namespace) -> bool:
    return bool(args.fleet or args.shard or args.bundle)


def cmd_fleet(args: argparse.Namespace) -> int:
    action, rest = (args.fleet[0], args.fleet[1:]) if args.fleet else ("", [])
    if action and action not in ACTIONS:
        raise UsageError(f"ci {action}: unknown action (ci shards, ci merge BUNDLE...)")
    if action == "shards":
        if rest:
            raise UsageError(f"ci shards: unexpected argument {rest[0]}")
        return with_ci_config(args, lambda a, ctx, config, t, _: _shards(a, gather(ctx, config, t)))
    if action == "merge":
        if not rest:
            raise UsageError("ci merge: name the bundle files (ci merge shard-*.json)")
        if args.shard or args.bundle:
            raise UsageError("ci merge: --shard and --bundle are for the shards")
        flags = flags_digest(args)  # of the flags as given, not as --trusted-ref pins them
        return with_ci_config(args, lambda a, ctx, config, t, runner: _merge(
            a, flags, rest, ctx, config, t, runner))
    if not args.bundle:
        raise UsageError("ci --shard K/N: also name the result file with --bundle FILE")
    shard = parse_shard(args.shard) if args.shard else shard_from_env(os.environ)
    if shard is None:
        raise UsageError("ci --bundle: which shard? --shard K/N, or run in a GitLab "
                         "`parallel:` job (CI_NODE_INDEX, CI_NODE_TOTAL)")
    return _shard_safely(args, shard)


def config_digest(config: Config) -> str:
    """Of the config file's bytes (the trusted ref's with --trusted-ref): its parsed form
    holds paths into a temporary tree that differ from one job to the next."""
    try:
        data = config.path.read_bytes() if config.path is not None else b""
    except OSError:
        data = repr(config).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:16]


def flags_digest(args: argparse.Namespace) -> str:
    flags = {k: v for k, v in vars(args).items() if k not in _NOT_CHECK_FLAGS}
    text = json.dumps(flags, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _units(run: CiRun) -> list[Unit]:
    from gitops_guard.render import environments_from_config

    envs = environments_from_config(run.config) if run.has_envs else {}
    return fleet_units(run.affected, envs, run.paths, run.config.root, run.graphs)


def _head(ctx: PRContext, config: Config) -> str:
    return resolve_ref(ctx.head or "HEAD", config.root)


def _shards(args: argparse.Namespace, run: CiRun) -> int:
    units = _units(run)
    total = shard_count(units[1:] or units, args.max_shards, args.per_shard)
    for k, group in enumerate(partition(units, total), start=1):
        cost = sum(u.cost for u in units if u.name in group)
        names = ", ".join(n or "(changed files)" for n in group) or "nothing"
        print(f"gitops-guard: shard {k}/{total} (cost {cost}): {names}", file=sys.stderr)
    print(json.dumps({"shard": [f"{k}/{total}" for k in range(1, total + 1)]}))
    return 0


def _shard_safely(args: argparse.Namespace, shard: Shard) -> int:
    """A failed shard still leaves a bundle naming its error, so the merge can say so."""
    try:
        flags = flags_digest(args)  # of the flags as given, not as --trusted-ref pins them
        return with_ci_config(args, lambda a, ctx, config, t, _: _shard(
            a, flags, shard, ctx, config, t))
    except BundleError:
        raise
    except GuardError as exc:
        write_bundle(args.bundle, Bundle(RunKey("", "", "", "", shard.total, ""),
                                         shard.number, error=str(exc)))
        raise


def _shard(args: argparse.Namespace, flags: str, shard: Shard, ctx: PRContext,
           config: Config, timeouts: Timeouts) -> int:
    started = time.perf_counter()
    run = gather(ctx, config, timeouts)
    units = _units(run)
    groups = partition(units, shard.total)
    mine = groups[shard.number - 1]
    key = RunKey(_head(ctx, config), run.base, config_digest(config), flags,
                 shard.total, digest(groups))
    envs = [n for n in mine if n != FILES]
    paths = run.paths if FILES in mine else []
    gathered = Gathered([], (), 0)
    if paths or envs:
        options = check_flags.check_options(args, config, tuple(paths), tuple(envs))
        gathered = gather_check(options, config)
    checked = time.perf_counter()
    plan, plan_error = _shard_plan(args, run, mine, envs, gathered.renders)
    done = time.perf_counter()
    write_bundle(args.bundle, Bundle(
        key, shard.number, mine, affected=tuple(run.affected), changed=len(run.changed),
        findings=tuple(gathered.findings), usage=gathered.usage, inactive=gathered.inactive,
        suppressed=gathered.suppressed,
        checked=gathered.checked, resources=gathered.resources,
        plan_wanted=plan_wanted(args, run), plan=plan, plan_error=plan_error,
        timings={"check": round(checked - started, 3), "plan": round(done - checked, 3)}))
    shown = ", ".join(n or "(changed files)" for n in mine) or "nothing"
    print(f"gitops-guard ci: shard {shard.number}/{shard.total}: {shown}; "
          f"{len(gathered.findings)} finding(s); bundle {args.bundle}")
    return 0


def _shard_plan(args: argparse.Namespace, run: CiRun, mine: Sequence[str],
                envs: Sequence[str], rendered: Mapping[str, RenderResult]
                ) -> tuple[Plan | None, str]:
    if not plan_wanted(args, run):
        return None, ""
    try:
        if run.affected:
            return (build_ci_plan(run, envs, rendered) if envs else Plan([], run.base)), ""
        return (build_ci_plan(run, ()) if FILES in mine else Plan([], run.base)), ""
    except GuardError as exc:
        return None, str(exc)


def _merge(args: argparse.Namespace, flags: str, paths: Sequence[str], ctx: PRContext,
           config: Config, timeouts: Timeouts, runner: Mapping[str, str]) -> int:
    from gitops_guard.changes import merge_base
    from gitops_guard.fleet.merge import merge_bundles

    assert ctx.base is not None
    bundles = [(p, read_bundle(p)) for p in paths]
    expected = RunKey(_head(ctx, config), merge_base(ctx.base, ctx.head or "HEAD", config.root),
                      config_digest(config), flags, 0, "")
    merged = merge_bundles(bundles, expected)
    if merged.plan_error:
        print(f"gitops-guard: warning: no plan: {merged.plan_error}", file=sys.stderr)
    g = merged.gathered
    options = check_flags.check_options(args, config, (), ())
    result = (finish_check(g, options.policy.baseline, options.min_severity)
              if g.findings or g.checked or g.resources or g.suppressed
              else CheckResult([], 0, 0))
    code = gate_code(result, args, config)
    emit(args, ctx, timeouts, runner, merged.changed, merged.affected, result, merged.plan,
         code, report_options(args, ctx, config))
    return code
