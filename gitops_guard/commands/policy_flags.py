"""The policy flags of `check` (conftest-compatible) and the exit code they decide.

    -p/--policy PATH...  -n/--namespace GLOB...  --all-namespaces  -d/--data PATH...
    --combine  --rego-engine embedded|opa|server  --opa-url URL  --rego-version v0|v1
    --no-builtin  --baseline FILE  --write-baseline FILE  --fail-on-warn  --no-fail

Config keys `policies:`, `namespaces:`, `data:` and `builtin:` give the defaults;
flags add to the path lists and override the rest. Config paths are relative to the
repository root, flag paths to the current directory.
"""
from __future__ import annotations

import argparse
import glob
import os
from collections.abc import Sequence
from pathlib import Path

from gitops_guard.check import exit_code_for
from gitops_guard.commands.common import add_rego_flags
from gitops_guard.config import Config
from gitops_guard.evaluate.options import PolicyOptions, RegoOptions
from gitops_guard.model import Finding, Severity


def add_policy_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("policies")
    g.add_argument("-p", "--policy", action="append", default=[], metavar="DIR|FILE",
                   help="policy file or dir, Rego (.rego) and Python (.py); repeatable. "
                   "Added to the config's `policies:`; the built-in library stays on")
    g.add_argument("-n", "--namespace", action="append", default=[], metavar="GLOB",
                   help="Rego packages to evaluate (default: main), globs allowed; repeatable")
    g.add_argument("--all-namespaces", action="store_true",
                   help="evaluate every Rego package")
    add_rego_flags(g)
    g.add_argument("--combine", action="store_true",
                   help="one Rego input holding every document ([{path, contents}])")
    g.add_argument("--rego-engine", choices=("embedded", "opa", "server"),
                   help="how Rego runs: embedded regorus (default), the opa binary, or an OPA "
                        "server (--opa-url)")
    g.add_argument("--opa-url", metavar="URL", help="OPA server (implies --rego-engine server)")
    g.add_argument("--no-builtin", action="store_true", help="skip the built-in policy library")
    g.add_argument("--no-cross-resource", action="store_true",
                   help="skip rules that need every document (the pre-commit hook sees only "
                        "some files)")
    g.add_argument("--baseline", metavar="FILE",
                   help="hide findings recorded in FILE (see --write-baseline)")
    g.add_argument("--write-baseline", metavar="FILE",
                   help="record the current findings in FILE and exit 0")
    g.add_argument("--fail-on-warn", action="store_true",
                   help="conftest: exit 1 on warnings, 2 on errors")
    g.add_argument("--no-fail", action="store_true",
                   help="conftest: exit 0 whatever the findings (errors of the run still exit 2)")


def config_paths(config: Config, patterns: Sequence[str]) -> list[str]:
    """Config path globs (`policies:`, `data:`) -> paths relative to the current directory."""
    out: list[str] = []
    for pattern in patterns:
        full = config.root / pattern
        hits = sorted(glob.glob(str(full), recursive=True)) if glob.has_magic(pattern) else [
            str(full)]
        out.extend(os.path.relpath(hit) for hit in hits)
    return out


def policy_options(args: argparse.Namespace, config: Config,
                   kubernetes_version: str) -> PolicyOptions:
    paths = (*config_paths(config, config.policy.paths), *args.policy)
    builtin = config.policy.builtin
    namespaces = tuple(args.namespace) or config.policy.namespaces or ("main",)
    engine = args.rego_engine or ("server" if args.opa_url else "embedded")
    defaults = RegoOptions()
    limit = config.timeouts.policy_seconds
    rego = RegoOptions(
        policy_paths=paths,
        namespaces=namespaces,
        all_namespaces=args.all_namespaces,
        data_paths=(*config_paths(config, config.policy.data), *args.data),
        combine=args.combine,
        engine=engine,
        opa_url=args.opa_url or "",
        rego_version=args.rego_version or defaults.rego_version,
        timeout_seconds=limit,
        severities=config.policy.rego_severities,
    )
    return PolicyOptions(
        rego=rego,
        python_paths=paths,
        builtin=not args.no_builtin and builtin.enabled,
        disabled=builtin.disable,
        builtin_options=dict(builtin.options),
        baseline=None if args.write_baseline else args.baseline,
        kubernetes_version=kubernetes_version,
        cross_resource=not args.no_cross_resource,
        timeout_seconds=limit,
    )


def policy_exit_code(findings: Sequence[Finding], args: argparse.Namespace,
                     fail_on: str) -> int:
    """--no-fail > --write-baseline > --fail-on-warn (conftest's 2/1/0) > --fail-on."""
    if args.no_fail or args.write_baseline:
        return 0
    if args.fail_on_warn:
        severities = {f.severity for f in findings}
        if Severity.ERROR in severities:
            return 2
        return 1 if Severity.WARNING in severities else 0
    return exit_code_for(findings, fail_on)


def write_baseline_file(path: str, findings: Sequence[Finding]) -> str:
    from gitops_guard.evaluate.baseline import write_baseline

    count = write_baseline(path, findings)
    shown = Path(path).as_posix()
    return f"gitops-guard: wrote {count} finding{'' if count == 1 else 's'} to baseline {shown}"
