"""evaluate stage (see design.md §2): the built-in library, Python and Rego policies.

    evaluate_documents(documents, PolicyOptions(...), config) -> list[Finding]

One run: the enabled built-ins (policies/gg*.py) and the user's Python policies
(`.py` under `--policy` paths and the config's `policies:`) go through the Python
runner (evaluate/python.py); `.rego` files under the same paths go to the Rego
engines (evaluate/rego/), imported only when there is Rego to evaluate.
Every Python rule (built-in or user) gets the config's `builtin.options` and the
target Kubernetes version in its RuleContext.
Cross-resource rules judge one deployable unit at a time, and patch files reach only
rules that judge fragments (units.py). Suppressions (suppress.py) and baselines
(baseline.py) are applied later, in check.py, because they cover schema and load
findings too.
"""
from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from gitops_guard.config import Config
from gitops_guard.errors import GuardError
from gitops_guard.evaluate.options import PolicyOptions, RegoOptions
from gitops_guard.evaluate.python import (
    SKIP_DIRS,
    LoadedRule,
    load_python_policies,
    register,
)
from gitops_guard.evaluate.python_run import run_rules
from gitops_guard.evaluate.units import plan_units
from gitops_guard.model import Document, Finding, PolicyTally

_BUILTIN_FILE = re.compile(r"^gg(\d{3})_.*\.py$")


@dataclass(frozen=True)
class Evaluation:
    findings: list[Finding]
    inactive_rules: frozenset[str] = frozenset()  # rules that exist but did not run
    tally: PolicyTally | None = None  # conftest's counts, when Rego policies ran


def evaluate_documents(documents: Sequence[Document], options: PolicyOptions,
                       config: Config | None = None) -> list[Finding]:
    """Every policy finding over `documents`, sorted."""
    return run_policies(documents, options, config).findings


def _contains(path: str, suffix: str) -> bool:
    target = Path(path)
    if target.is_file():
        return target.name.endswith(suffix)
    for _folder, dirs, files in os.walk(target):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        if any(name.endswith(suffix) for name in files):
            return True
    return False


def builtin_ids_by_name() -> frozenset[str]:
    """The built-in ids from file names alone: no need to import rules that will not run."""
    from gitops_guard.evaluate.builtin import builtin_files

    return frozenset(f"GG{m.group(1)}" for p in builtin_files()
                     if (m := _BUILTIN_FILE.match(p.name)))


def selected_rules(options: PolicyOptions, config: Config | None = None,
                   ) -> tuple[list[LoadedRule], frozenset[str]]:
    """(rules to run: enabled built-ins then user Python policies, ids left out)."""
    from gitops_guard.catalog import CORE_RULES

    registry: dict[str, LoadedRule] = {}
    if options.builtin:
        from gitops_guard.evaluate.builtin import enabled_rules

        register(registry, enabled_rules(options.disabled, CORE_RULES))
        inactive = frozenset(options.disabled)
    else:
        inactive = builtin_ids_by_name() | frozenset(options.disabled)
    if options.python_paths:
        root = config.root if config is not None else None
        register(registry, load_python_policies(options.python_paths, root,
                                                       options.timeout_seconds).values())
    rules = list(registry.values())
    if not options.cross_resource:
        inactive |= {r.rule.id for r in rules if r.rule.scope == "all"}
        rules = [r for r in rules if r.rule.scope != "all"]
    return rules, inactive


def rego_paths(options: RegoOptions) -> tuple[str, ...]:
    """The policy paths that hold any .rego file (a dir may mix .rego and .py)."""
    return tuple(p for p in options.policy_paths if _contains(p, ".rego"))


def run_policies(documents: Sequence[Document], options: PolicyOptions,
                 config: Config | None = None) -> Evaluation:
    rules, inactive = selected_rules(options, config)
    plan = plan_units(documents, config.root if config is not None else None)
    findings = run_rules(rules, documents, options.builtin_options,
                         options.kubernetes_version, options.timeout_seconds, options.jobs,
                         [unit.documents for unit in plan.units], plan.fragments,
                         plan.namespaces)
    rego = replace(options.rego, policy_paths=rego_paths(options.rego))
    tally = None
    if rego.policy_paths or rego.engine == "server":
        try:
            from gitops_guard.evaluate.rego import evaluate_rego_outcome
        except ImportError as exc:
            raise GuardError(f"Rego policies were given ({', '.join(rego.policy_paths)}) but "
                             f"the Rego engine cannot be loaded: {exc}") from None
        outcome = evaluate_rego_outcome(documents, rego)
        findings.extend(outcome.findings)
        tally = outcome.tally.frozen()
    findings.sort(key=Finding.sort_key)
    return Evaluation(findings, inactive, tally)
