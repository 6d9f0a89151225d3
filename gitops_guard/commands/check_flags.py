"""Flags and option-building shared by `check` and `ci`: schemas, environments, policies."""
from __future__ import annotations

import argparse
import os
from dataclasses import replace

from gitops_guard.catalog import RuleDoc
from gitops_guard.check import CheckOptions
from gitops_guard.commands import policy_flags
from gitops_guard.commands.common import add_color_flag, add_config_flag, add_fetch_charts_flag
from gitops_guard.config import Config, resolve_config
from gitops_guard.evaluate.options import PolicyOptions
from gitops_guard.evaluate.selection import check_ids, rule_switches
from gitops_guard.validate.kubernetes import resolve_version, shipped_versions
from gitops_guard.validate.options import SchemaOptions


def add_check_flags(p: argparse.ArgumentParser) -> None:
    add_config_flag(p)
    versions = shipped_versions()
    p.add_argument("--kubernetes-version", metavar="X.Y",
                   help=f"schemas to validate against: {versions[0]} to {versions[-1]} "
                        f"(default: config, else {versions[-1]})")
    strict = p.add_mutually_exclusive_group()
    strict.add_argument("--strict", dest="strict", action="store_true", default=None,
                        help="unknown fields are errors (default)")
    strict.add_argument("--no-strict", dest="strict", action="store_false",
                        help="unknown fields are not reported")
    p.add_argument("--schema-location", action="append", default=[], metavar="DIR|FILE|TMPL",
                   help="more schemas: a dir of CRD manifests and JSON Schemas, a file (CRDs, "
                        "or one JSON Schema for every kind), or a local path template "
                        "(repeatable; after the config's schemas:)")
    p.add_argument("--schema-engine", choices=("builtin", "kubeconform"),
                   help="validate in process (default) or delegate to kubeconform on PATH")
    missing = p.add_mutually_exclusive_group()
    missing.add_argument("--ignore-missing-schemas", dest="missing_schemas",
                         action="store_const", const="ignore",
                         help="a kind with no schema is not reported (default: one warning "
                              "per kind)")
    missing.add_argument("--reject-missing-schemas", dest="missing_schemas",
                         action="store_const", const="reject",
                         help="a kind with no schema is an error at each resource")
    p.add_argument("--no-schema", action="store_true", help="skip schema validation")
    p.add_argument("--no-apiserver", action="store_true",
                   help="skip what the API server checks past the schema: names, labels, "
                        "quantities, list keys, CRD CEL rules, admission policies "
                        "(GG230-GG239; docs/validation.md)")
    p.add_argument("--env", action="append", default=[], metavar="NAME",
                   help="check this rendered environment from the config (repeatable; "
                        "docs/config.md#environments)")
    p.add_argument("--fail-on", choices=("error", "warning", "info", "never"),
                   help="exit 1 when a finding is at or above this severity (default: config "
                        "fail_on, else error)")
    add_color_flag(p)
    p.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                   help="processes that share the work: parsing past ~100 files or 1 MB, the "
                        "Python rules past 400 documents (default: CPU count; same results, "
                        "same order)")
    add_fetch_charts_flag(p)
    p.add_argument("--no-cache", action="store_true",
                   help="parse every file again: don't read or write the load cache "
                        "($XDG_CACHE_HOME/gitops-guard, else ~/.cache/gitops-guard); also "
                        "GITOPS_GUARD_NO_CACHE=1")
    add_selection_flags(p)
    policy_flags.add_policy_flags(p)


def add_selection_flags(p: argparse.ArgumentParser) -> None:
    """What is reported (evaluate/selection.py); config `min_severity`, `skip_kinds`."""
    p.add_argument("--min-severity", choices=("info", "warning", "error"),
                   help="list only findings at or above this severity in every output; the "
                        "summary still counts the rest and --fail-on still sees them (config "
                        "min_severity)")
    p.add_argument("--enable", action="append", default=[], metavar="RULE",
                   help="switch a built-in rule back on over the config's builtin.disable "
                        "(repeatable)")
    p.add_argument("--disable", action="append", default=[], metavar="RULE",
                   help="switch a rule off for this run (repeatable)")
    p.add_argument("--skip-kind", action="append", default=[], metavar="KIND",
                   help="report nothing about resources of this kind: Kind or group/Kind "
                        "(repeatable; config skip_kinds)")


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: a number of processes, 1 or more")
    return value


def config_for(args: argparse.Namespace) -> Config:
    return resolve_config(args.config)


def check_options(args: argparse.Namespace, config: Config, paths: tuple[str, ...],
                  envs: tuple[str, ...]) -> CheckOptions:
    version = resolve_version(args.kubernetes_version or config.kubernetes_version)
    schema = SchemaOptions(
        kubernetes_version=version,
        strict=config.strict if args.strict is None else args.strict,
        missing_schemas=args.missing_schemas or config.missing_schemas,
        schema_locations=(*config.schemas, *args.schema_location),
        engine=args.schema_engine or config.schema_engine,
        apiserver=config.apiserver.enabled and not args.no_apiserver,
        apiserver_cel=config.apiserver.cel,
        admission_policies=config.apiserver.admission_policies,
        feature_gates=tuple(sorted(config.apiserver.feature_gates.items())),
    )
    jobs = args.jobs or os.cpu_count() or 1
    policy = policy_flags.policy_options(args, config, version)
    known = selectable_ids()
    check_ids(args.enable, known, "--enable")
    check_ids(args.disable, known, "--disable")
    policy = replace(policy, jobs=jobs,
                     disabled=rule_switches(policy.disabled, args.enable, args.disable))
    schema = replace(schema, admission_paths=policy.rego.policy_paths)
    return CheckOptions(paths=paths, schema=schema, validate_schemas=not args.no_schema,
                        envs=envs, policy=policy, jobs=jobs, cache=not args.no_cache,
                        min_severity=args.min_severity or config.min_severity,
                        skip_kinds=(*config.skip_kinds, *args.skip_kind))


def selectable_ids() -> frozenset[str]:
    """Every built-in and core rule id (built-ins from their file names: no import)."""
    from gitops_guard.catalog import CORE_RULES
    from gitops_guard.evaluate import builtin_ids_by_name

    return builtin_ids_by_name() | frozenset(CORE_RULES)


def policy_rule_docs(options: PolicyOptions, config: Config) -> dict[str, RuleDoc]:
    """Docs of the policy rules that ran, for SARIF rules[] and comments."""
    from gitops_guard.evaluate import selected_rules

    rules, _ = selected_rules(options, config)
    return {r.rule.id: RuleDoc(r.rule.id, r.rule.severity, r.rule.title, r.rule.why,
                               r.rule.fix, r.rule.doc_url) for r in rules}
