"""Rego policies with conftest's conventions, on one of three engines.

    evaluate_rego(documents, RegoOptions(policy_paths=("policy",))) -> list[Finding]

Engines (ENGINES): "embedded" (regorus, in-process), "opa" (one `opa eval` per run),
"server" (an OPA server's REST Data API). Each is built once per run from a PolicySet
and evaluates the whole batch of inputs. Nothing heavy is imported until a policy
path is given, so a run without Rego policies pays nothing.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from gitops_guard.errors import UsageError
from gitops_guard.evaluate.options import RegoOptions
from gitops_guard.evaluate.rego.contained import SetupFailed
from gitops_guard.evaluate.rego.conventions import (
    Outcome,
    build_findings,
    rule_targets,
    select_packages,
)
from gitops_guard.evaluate.rego.crashes import failure_findings, setup_finding
from gitops_guard.evaluate.rego.data import data_modules, load_data
from gitops_guard.evaluate.rego.embedded import EmbeddedEngine
from gitops_guard.evaluate.rego.engine import PolicySet, RegoEngine
from gitops_guard.evaluate.rego.errors import RegoError, RegoEvalError
from gitops_guard.evaluate.rego.opa_binary import OpaBinaryEngine
from gitops_guard.evaluate.rego.server import ServerEngine, fetch_server_modules
from gitops_guard.evaluate.rego.source import Module, load_modules
from gitops_guard.model import Document, Finding

EngineFactory = Callable[[PolicySet, RegoOptions], RegoEngine]

ENGINES: dict[str, EngineFactory] = {
    "embedded": EmbeddedEngine,
    "opa": OpaBinaryEngine,
    "server": ServerEngine,
}

# Where policies come from when no policy path is given: only a server has its own.
REMOTE_MODULES: dict[str, Callable[[RegoOptions], list[Module]]] = {
    "server": fetch_server_modules,
}

__all__ = ["ENGINES", "Outcome", "RegoError", "evaluate_rego", "evaluate_rego_outcome",
           "policy_set_for"]


def evaluate_rego(documents: Sequence[Document], options: RegoOptions) -> list[Finding]:
    """Findings of the Rego policies in `options` over `documents`, sorted."""
    return evaluate_rego_outcome(documents, options).findings


def policy_set_for(options: RegoOptions) -> PolicySet | None:
    """Read policies and data once; None when there is nothing to evaluate."""
    if options.engine not in ENGINES:
        raise UsageError(f"unknown rego engine {options.engine!r} "
                         f"(choose from {', '.join(sorted(ENGINES))})")
    if options.rego_version not in ("v0", "v1"):
        raise UsageError(f"--rego-version must be v0 or v1, not {options.rego_version!r}")
    modules = load_modules(options.policy_paths) if options.policy_paths else []
    if not modules and not options.policy_paths and options.engine in REMOTE_MODULES:
        modules = REMOTE_MODULES[options.engine](options)
    if not modules:
        return None
    packages = select_packages(modules, options.namespaces, options.all_namespaces)
    return PolicySet(
        modules=(*modules, *data_modules(options.data_paths, modules)),
        data=load_data(options.data_paths),
        targets=rule_targets(modules, packages),
        rego_version=options.rego_version,
        timeout_seconds=options.timeout_seconds,
    )


def conftest_file(path: str) -> dict[str, str]:
    """conftest's `data.conftest.file` for an input file: base name and absolute dir."""
    absolute = os.path.abspath(path)
    return {"name": os.path.basename(absolute), "dir": os.path.dirname(absolute)}


def evaluate_rego_outcome(documents: Sequence[Document], options: RegoOptions) -> Outcome:
    """Findings plus conftest's tally (tests, passed, warnings, failures, exceptions)."""
    if not options.policy_paths and options.engine not in REMOTE_MODULES:
        return Outcome()
    policies = policy_set_for(options)
    if policies is None or not documents:
        return Outcome()
    groups: list[list[Document]]
    inputs: list[Any]
    if options.combine:
        ordered = sorted(documents, key=lambda d: d.path)  # stable: keeps document order
        groups = [ordered]
        inputs = [[{"path": d.path, "contents": d.data} for d in ordered]]
        files = [conftest_file("Combined")]  # the name conftest gives the combined input
    else:
        groups = [[d] for d in documents]
        inputs = [d.data for d in documents]
        files = [conftest_file(d.path) for d in documents]
    try:
        engine = ENGINES[options.engine](policies, options)
        if not policies.targets:
            return Outcome()
        results = engine.evaluate(inputs, files)
    except SetupFailed as exc:
        return Outcome(findings=[setup_finding(policies.modules, exc)])
    except RegoEvalError as exc:
        doc = groups[exc.index][0] if 0 <= exc.index < len(groups) else None
        where = "combined input" if options.combine else (
            f"{doc.path} (document {doc.index + 1})" if doc else f"input #{exc.index}")
        raise RegoError(f"{where}: rego evaluation failed: {exc.detail}") from None
    outcome = build_findings(policies.modules, policies.targets, groups, results,
                             dict(options.severities))
    crashed = failure_findings(policies.modules, getattr(engine, "failures", ()), groups)
    if crashed:
        outcome.findings = sorted([*outcome.findings, *crashed], key=Finding.sort_key)
    return outcome
