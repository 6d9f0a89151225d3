"""`gitops-guard charts pull [--env NAME]...`: warm the remote chart cache.

Renders the environments with fetching on, so every chart a HelmRelease or an Argo CD
Application would install (HelmRepository, OCI, `chartRef`, Argo `repoURL` + `chart`)
is resolved and stored in the cache; later offline runs (`check`, the pre-commit hook)
render from it. Prints one line per chart. Exit 0 when every chart is in the cache,
1 when one could not be fetched, 2 on a usage or config error.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from gitops_guard.commands import add_command
from gitops_guard.commands.check_flags import config_for
from gitops_guard.commands.common import add_config_flag, with_fetch
from gitops_guard.errors import UsageError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(sub, "charts")
    actions = p.add_subparsers(dest="charts_action", metavar="ACTION")
    pull = actions.add_parser("pull", help="fetch every remote chart the environments use")
    add_config_flag(pull)
    pull.add_argument("--env", action="append", default=[], metavar="NAME",
                      help="environment from config (repeatable; default: all)")
    pull.set_defaults(func=cmd_pull)
    p.set_defaults(func=_usage(p))


def _usage(p: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    """`gitops-guard charts` without an action: its help, exit 2."""
    def run(args: argparse.Namespace) -> int:
        p.print_help(sys.stderr)
        return 2
    return run


def cmd_pull(args: argparse.Namespace) -> int:
    from gitops_guard.render import environments_from_config, render_environment
    from gitops_guard.render.charts import LocatedChart

    config = with_fetch(config_for(args), True, True)
    envs = environments_from_config(config)
    if not envs:
        raise UsageError("charts pull: no environments in .gitops-guard.yaml (charts are "
                         "found by rendering them)")
    unknown = [n for n in args.env if n not in envs]
    if unknown:
        raise UsageError(f"--env {unknown[0]}: no such environment (environments: "
                         f"{', '.join(sorted(envs))})")
    names = list(dict.fromkeys(args.env)) or list(envs)
    options = next(iter(envs.values())).charts
    if options is not None and options.refused:
        raise UsageError(f"charts pull: chart cache {options.cache_dir} not used: "
                         f"{options.refused}")
    for name in names:
        render_environment(envs[name], config.root, use_cache=False)
    results: dict[tuple[str, str, str], LocatedChart] = dict(options.memo) if options else {}
    failed = 0
    for (url, chart, wanted), located in sorted(results.items()):
        want = wanted or "*"
        if located.path is not None:
            print(f"ok      {chart} {located.version} ({want}) from {url} "
                  f"{located.digest[:19]}")
        else:
            failed += 1
            print(f"failed  {chart} {want} from {url}: {located.reason}")
    print(f"{len(results) - failed} chart(s) in the cache at "
          f"{options.cache_dir if options else '?'}, {failed} failed; environments: "
          f"{', '.join(names)}", file=sys.stderr)
    return 1 if failed else 0
