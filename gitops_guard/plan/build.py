"""Build a Plan: for each environment, the objects before (base ref, live, snapshot) vs after.

`after` is always the working tree, rendered. `before` comes from a target in
TARGETS: `git` (the tree at --base, read from git objects), `snapshot`
(exported `kubectl get -o yaml` files) or `live` (the cluster).
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from gitops_guard.config import Config
from gitops_guard.errors import UsageError
from gitops_guard.plan.engine import diff_objects
from gitops_guard.plan.gittree import resolve_ref, tree_at
from gitops_guard.plan.model import EnvPlan, Plan
from gitops_guard.plan.settings import diff_settings
from gitops_guard.plan.sources import (
    REPO_ENV,
    Objects,
    RenderNotes,
    environments,
    merge_notes,
    render_objects,
    select,
    unknown_paths,
    without_failed,
)
from gitops_guard.plan.terraform import terraform_plan
from gitops_guard.plan.uncovered import unplanned_charts
from gitops_guard.render.model import Environment, RenderResult
from gitops_guard.render.repo import same_repository


@dataclass(frozen=True)
class PlanOptions:
    base: str | None = None
    envs: tuple[str, ...] = ()
    against: str = "git"  # git | live | snapshot
    snapshot: str | None = None
    # renders of the working tree already made (`ci`'s check): not rendered again
    rendered: Mapping[str, RenderResult] = field(default_factory=dict)


# A target yields a function giving the (before, after) objects of one environment
# plus notes, from the rendered objects: git renders the base tree; snapshot and live
# fetch only the rendered objects, and live replaces `after` with the server's
# dry-run apply result.
BeforeFn = Callable[[Environment, Objects], tuple[Objects, Objects, RenderNotes]]
Target = Callable[[PlanOptions, Config], contextlib.AbstractContextManager[BeforeFn]]


@contextlib.contextmanager
def _git_target(options: PlanOptions, config: Config) -> Iterator[BeforeFn]:
    if not options.base:
        raise UsageError("--base REF is required with --against git")
    with tree_at(options.base, config.root) as base_root, \
            same_repository(base_root, config.root, resolve_ref(options.base, config.root)):
        # The base tree has no .git: it is this clone (same remotes), at another ref.
        def before(env: Environment, after: Objects) -> tuple[Objects, Objects, RenderNotes]:
            objs, notes = render_objects(env, base_root, config)
            return objs, after, notes
        yield before


@contextlib.contextmanager
def _snapshot_target(options: PlanOptions, config: Config) -> Iterator[BeforeFn]:
    from gitops_guard.plan.snapshot import snapshot_before

    def before(env: Environment, after: Objects) -> tuple[Objects, Objects, RenderNotes]:
        objs = snapshot_before(env, after, options.snapshot, config)
        return objs, after, RenderNotes([], [])
    yield before


@contextlib.contextmanager
def _live_target(options: PlanOptions, config: Config) -> Iterator[BeforeFn]:
    from gitops_guard.plan.live import live_target
    with live_target(options, config) as live_before:
        def before(env: Environment, after: Objects) -> tuple[Objects, Objects, RenderNotes]:
            objs, applied, notes = live_before(env, after)
            return objs, applied, RenderNotes(notes, [])
        yield before


TARGETS: dict[str, Target] = {
    "git": _git_target,
    "snapshot": _snapshot_target,
    "live": _live_target,
}


def build_plan(options: PlanOptions, config: Config) -> Plan:
    envs = select(environments(config), list(options.envs))
    plan = Plan([], base=options.base or "", against=options.against)
    with TARGETS[options.against](options, config) as before_of:
        for env in envs:
            plan.environments.append(_env_plan(env, options, config, before_of))
    return plan


def _env_plan(env: Environment, options: PlanOptions, config: Config,
              before_of: BeforeFn) -> EnvPlan:
    result = EnvPlan(env.name, env.kind or "detect")
    live_like = options.against != "git"
    settings = diff_settings(config, env.namespace, report_removed=not live_like)
    if env.kind == "terraform-plan":
        path = config.root / env.path
        return terraform_plan(path, env.path, settings, result)
    after, notes = render_objects(env, config.root, config, options.rendered.get(env.name),
                                  use_cache=True)
    before, after, before_notes = before_of(env, after)
    merged = merge_notes(before_notes, notes)
    result.notes, result.unrendered = merged.notes, merged.unrendered
    if env.name == REPO_ENV and options.against == "git" and options.base:
        result.unrendered += unplanned_charts(config.root, options.base)
    unknown = unknown_paths(merged.failed, merged.roots)
    before, after = without_failed(before, unknown), without_failed(after, unknown)
    return diff_objects(before, after, settings, result)
