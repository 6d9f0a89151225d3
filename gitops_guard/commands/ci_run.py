"""The steps of a `ci` run, shared by a whole run (commands/ci.py) and a fleet run
(commands/ci_fleet.py): with_ci_config (config, trusted ref, git timeouts), gather (what
changed and what it affects), gate_code, and emit (every output)."""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from gitops_guard import __version__
from gitops_guard.changes import changed_files, merge_base
from gitops_guard.commands import check_flags, policy_flags
from gitops_guard.commands.common import with_fetch, write_output
from gitops_guard.config import Config
from gitops_guard.errors import GuardError, UsageError
from gitops_guard.globs import matches
from gitops_guard.model import CheckResult
from gitops_guard.plan.gittree import git_timeout
from gitops_guard.plan.model import Plan
from gitops_guard.prcontext import PRContext, detect_context
from gitops_guard.report import PLAN_REPORTERS, REPORTERS, ReportOptions
from gitops_guard.report.escape import workflow_safe
from gitops_guard.runner_env import secrets_withheld
from gitops_guard.timeouts import Timeouts

if TYPE_CHECKING:
    from gitops_guard.render.graph import Graph
    from gitops_guard.render.model import RenderResult


class CiRun(NamedTuple):
    """What a PR changes and what that affects: the same in every shard of a fleet run."""

    ctx: PRContext
    config: Config
    timeouts: Timeouts
    base: str  # the merge base the plan compares against
    changed: list[str]
    has_envs: bool
    affected: list[str]
    paths: list[str]  # changed files checked as they are
    graphs: Mapping[str, Graph] = {}  # each environment's inputs, read to find `affected`


def _warn(message: str) -> None:
    print(f"gitops-guard: warning: {message}", file=sys.stderr)


def _to_check(changed: list[str], config: Config) -> list[str]:
    root = config.root
    return [str(root / p) for p in changed if (root / p).is_file()
            and matches(p, config.include) and not matches(p, config.exclude)]


def plan_wanted(args: argparse.Namespace, run: CiRun) -> bool:
    return not args.no_plan and bool(run.changed) and not (run.has_envs and not run.affected)


def build_ci_plan(run: CiRun, envs: Sequence[str],
                  rendered: Mapping[str, RenderResult] | None = None) -> Plan:
    """`rendered`: the check's renders of the working tree, not made again."""
    from gitops_guard.plan.build import PlanOptions, build_plan

    return build_plan(PlanOptions(base=run.base, envs=tuple(envs), rendered=rendered or {}),
                      run.config)


def plan_for(args: argparse.Namespace, run: CiRun,
             rendered: Mapping[str, RenderResult] | None = None) -> Plan | None:
    if not plan_wanted(args, run):
        return None
    try:
        return build_ci_plan(run, run.affected, rendered)
    except GuardError as exc:  # the gate still runs without a plan
        _warn(f"no plan: {exc}")
        return None


def _publish(provider: str, ctx: PRContext, bodies: list[str], key: str,
             budget: float, runner: Mapping[str, str]) -> None:
    from gitops_guard.publish.comment import publish_sticky
    from gitops_guard.publish.http import PublishError

    token_var = "GITHUB_TOKEN" if provider == "github" else "GITLAB_TOKEN"
    token = runner.get(token_var, "")
    if not token:
        _warn(f"--comment {provider}: {token_var} is not set; no comment posted")
        return
    if not (ctx.number and ctx.repository and ctx.api_url):
        _warn(f"--comment {provider}: not a pull/merge request run; no comment posted")
        return
    try:
        if provider == "github":
            from gitops_guard.publish.github import GitHubHost

            host: object = GitHubHost.connect(ctx.api_url, token, ctx.repository, ctx.number,
                                              budget=budget)
        else:
            from gitops_guard.publish.gitlab import GitLabHost

            host = GitLabHost.connect(ctx.api_url, token, ctx.repository, ctx.number,
                                      budget=budget)
        result = publish_sticky(host, bodies, key)  # type: ignore[arg-type]
    except PublishError as exc:
        reason = str(exc)
        if exc.status == 403 and ctx.is_fork:
            reason = "the token is read-only on a pull request from a fork"
        _warn(f"cannot post the comment ({reason}); the check still gates")
        return
    print(f"gitops-guard: comment: {result.created} created, {result.updated} updated, "
          f"{result.deleted} removed ({result.parts} part{'s' if result.parts != 1 else ''})",
          file=sys.stderr)


Body = Callable[[argparse.Namespace, PRContext, Config, Timeouts, Mapping[str, str]], int]


def with_ci_config(args: argparse.Namespace, body: Body) -> int:
    """Run `body` with the flags, the PR context, the effective config (with --trusted-ref:
    both read from the trusted ref) and the runner's environment, secrets withheld from
    child processes, under the config's git timeouts."""
    ctx = detect_context(os.environ, args.base, args.head)
    if not ctx.base:
        raise UsageError("ci needs a base to compare against: --base REF, or run it in a "
                         "GitHub pull_request or GitLab merge request pipeline")
    with contextlib.ExitStack() as stack:
        runner = stack.enter_context(secrets_withheld())  # no child process gets them
        config = check_flags.config_for(args)
        # the working tree's limit for reading the trusted ref; its own config's from then on
        stack.enter_context(git_timeout(config.timeouts.git_seconds))
        if args.trusted_ref:
            from gitops_guard.trusted import pin_flags, trusted_run

            config, pinned = stack.enter_context(
                trusted_run(args.trusted_ref, config.root, args.config))
            args = pin_flags(args, pinned)
        config = with_fetch(config, args.fetch_charts, True)
        timeouts = config.timeouts
        stack.enter_context(git_timeout(timeouts.git_seconds))
        return body(args, ctx, config, timeouts, runner)


def gather(ctx: PRContext, config: Config, timeouts: Timeouts) -> CiRun:
    from gitops_guard.render import affected_environments, environments_from_config

    assert ctx.base is not None
    head = ctx.head or "HEAD"
    base = merge_base(ctx.base, head, config.root)
    changed = changed_files(config.root, ctx.base, head)
    envs = environments_from_config(config) if config.environments else {}
    graphs: dict[str, Graph] = {}
    affected = affected_environments(changed, envs, config.root, graphs) if envs else []
    return CiRun(ctx, config, timeouts, base, changed, bool(envs), affected,
                 _to_check(changed, config))


def gate_code(result: CheckResult, args: argparse.Namespace, config: Config) -> int:
    return policy_flags.policy_exit_code([*result.findings, *result.unlisted], args,
                                         args.fail_on or config.fail_on)


def report_options(args: argparse.Namespace, ctx: PRContext, config: Config) -> ReportOptions:
    options = check_flags.check_options(args, config, (), ())
    return ReportOptions(
        kubernetes_version=options.schema.kubernetes_version, tool_version=__version__,
        rule_docs=check_flags.policy_rule_docs(options.policy, config),
        link_base=ctx.link_base())


def emit(args: argparse.Namespace, ctx: PRContext, timeouts: Timeouts,
         runner: Mapping[str, str], changed: int, affected: Sequence[str],
         result: CheckResult, plan: Plan | None, code: int, report: ReportOptions) -> None:
    """Every output of a run: stdout, SARIF, JUnit, GitHub annotations and job summary,
    the sticky comment."""
    print(f"gitops-guard ci: {changed} changed file(s), environments: "
          f"{', '.join(affected) or 'none affected'}")
    sys.stdout.write(workflow_safe(REPORTERS["text"](result, report)))
    summary = runner.get("GITHUB_STEP_SUMMARY") if os.environ.get("GITHUB_ACTIONS") == "true" \
        else None
    plan_md = ""
    if plan is not None:
        sys.stdout.write(workflow_safe(PLAN_REPORTERS["text"](plan, False)))
        if summary or args.comment:  # only they show it (a fleet's plan is big)
            plan_md = PLAN_REPORTERS["markdown"](plan, False)
    if args.sarif:
        write_output(REPORTERS["sarif"](result, report), args.sarif)
    if args.junit:
        write_output(REPORTERS["junit"](result, report), args.junit)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        sys.stdout.write(REPORTERS["github"](result, report))
        if summary:
            from gitops_guard.report.comment import summary_parts
            from gitops_guard.report.summary import write_summary

            write_summary(summary, summary_parts(result, code != 0, plan, plan_md,
                                                 ctx.link_base()))
    if args.comment:
        from gitops_guard.report.comment import comment_bodies

        _publish(args.comment, ctx, comment_bodies(result, code != 0, plan, plan_md,
                                                   ctx.link_base()), args.comment_key,
                 timeouts.publish_seconds, runner)
