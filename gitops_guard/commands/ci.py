"""`gitops-guard ci`: the PR gate. Checks the files and environments a change touches,
renders the plan, writes every requested report, posts one sticky comment, and exits
with the check's verdict."""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from gitops_guard import __version__
from gitops_guard.changes import changed_files, merge_base
from gitops_guard.check import run_check
from gitops_guard.commands import check_flags, policy_flags
from gitops_guard.commands.ci_body import (
    comment_bodies,
    findings_table,
    suppressed_table,
    verdict,
)
from gitops_guard.config import Config
from gitops_guard.errors import GuardError, UsageError
from gitops_guard.globs import matches
from gitops_guard.model import CheckResult
from gitops_guard.plan.gittree import git_timeout
from gitops_guard.plan.model import Plan
from gitops_guard.prcontext import PRContext, detect_context
from gitops_guard.report import REPORTERS, ReportOptions
from gitops_guard.report.escape import workflow_safe
from gitops_guard.runner_env import secrets_withheld
from gitops_guard.timeouts import Timeouts


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("ci", help="PR gate: check what changed, plan it, report, comment")
    check_flags.add_check_flags(p)
    p.add_argument("--base", metavar="REF", help="compare against REF (default: the PR's base)")
    p.add_argument("--head", metavar="REF", help="the change's commit (default: the PR's head)")
    p.add_argument("--comment", choices=("github", "gitlab"),
                   help="post or update one sticky comment on the PR / MR")
    p.add_argument("--comment-key", default="", metavar="KEY",
                   help="keeps the comments of several workflows on one PR apart")
    p.add_argument("--sarif", metavar="FILE", help="write a SARIF 2.1.0 report")
    p.add_argument("--junit", metavar="FILE", help="write a JUnit XML report")
    p.add_argument("--trusted-ref", metavar="REF",
                   help="load config and policies from REF (the base branch), never the PR")
    p.add_argument("--no-plan", action="store_true", help="skip the plan diff")
    p.set_defaults(func=cmd_ci)


def _warn(message: str) -> None:
    print(f"gitops-guard: warning: {message}", file=sys.stderr)


def _to_check(changed: list[str], config: Config) -> list[str]:
    root = config.root
    return [str(root / p) for p in changed if (root / p).is_file()
            and matches(p, config.include) and not matches(p, config.exclude)]


def _plan(args: argparse.Namespace, config: Config, base: str,
          affected: list[str], has_envs: bool, changed: list[str]) -> Plan | None:
    if args.no_plan or not changed or (has_envs and not affected):
        return None
    from gitops_guard.plan import PlanOptions, build_plan

    try:
        return build_plan(PlanOptions(base=base, envs=tuple(affected)), config)
    except GuardError as exc:  # the gate still runs without a plan
        _warn(f"no plan: {exc}")
        return None


def _write(path: str, text: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror}") from None


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


def cmd_ci(args: argparse.Namespace) -> int:
    ctx = detect_context(os.environ, args.base, args.head)
    if not ctx.base:
        raise UsageError("ci needs a base to compare against: --base REF, or run it in a "
                         "GitHub pull_request or GitLab merge request pipeline")
    with contextlib.ExitStack() as stack:
        runner = stack.enter_context(secrets_withheld())  # no child process gets them
        config = check_flags.config_for(args)
        stack.enter_context(git_timeout(
            config.timeouts.git_seconds))
        if args.trusted_ref:
            from gitops_guard.trusted import pin_flags, trusted_run

            config, pinned = stack.enter_context(
                trusted_run(args.trusted_ref, config.root, args.config))
            args = pin_flags(args, pinned)
        timeouts = config.timeouts
        stack.enter_context(git_timeout(timeouts.git_seconds))
        return _run(args, ctx, config, timeouts, runner)


def _run(args: argparse.Namespace, ctx: PRContext, config: Config,
         timeouts: Timeouts, runner: Mapping[str, str]) -> int:
    from gitops_guard.render import affected_environments, environments_from_config

    assert ctx.base is not None
    head = ctx.head or "HEAD"
    base = merge_base(ctx.base, head, config.root)
    changed = changed_files(config.root, ctx.base, head)
    envs = environments_from_config(config) if config.raw.get("environments") else {}
    affected = affected_environments(changed, envs, config.root) if envs else []
    paths = _to_check(changed, config)
    options = check_flags.check_options(args, config, tuple(paths), tuple(affected))
    result = (run_check(options, config) if paths or affected
              else CheckResult([], 0, 0))
    code = policy_flags.policy_exit_code([*result.findings, *result.unlisted], args,
                                         args.fail_on or config.fail_on)
    plan = _plan(args, config, base, affected, bool(envs), changed)
    report_options = ReportOptions(
        kubernetes_version=options.schema.kubernetes_version, tool_version=__version__,
        rule_docs=check_flags.policy_rule_docs(options.policy, config),
        link_base=ctx.link_base())
    print(f"gitops-guard ci: {len(changed)} changed file(s), environments: "
          f"{', '.join(affected) or 'none affected'}")
    sys.stdout.write(workflow_safe(REPORTERS["text"](result, report_options)))
    plan_md = ""
    if plan is not None:
        from gitops_guard.plan import render_markdown, render_text

        sys.stdout.write(workflow_safe(render_text(plan, False)))
        plan_md = render_markdown(plan)
    if args.sarif:
        _write(args.sarif, REPORTERS["sarif"](result, report_options))
    if args.junit:
        _write(args.junit, REPORTERS["junit"](result, report_options))
    if os.environ.get("GITHUB_ACTIONS") == "true":
        sys.stdout.write(REPORTERS["github"](result, report_options))
        summary = runner.get("GITHUB_STEP_SUMMARY")
        if summary:
            from gitops_guard.report.summary import write_summary

            write_summary(summary, [verdict(result, code != 0, plan),
                                    findings_table(result.findings, ctx.link_base(), None),
                                    suppressed_table(result, None), plan_md])
    if args.comment:
        _publish(args.comment, ctx, comment_bodies(result, code != 0, plan, plan_md,
                                                   ctx.link_base()), args.comment_key,
                 timeouts.publish_seconds, runner)
    return code
