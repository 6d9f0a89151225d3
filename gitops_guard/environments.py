"""`check --env`: render the selected environments and schema-validate what they produce.

Outside the render package on purpose: a plain `check` of files imports this module but
never the renderers (pre-commit latency).

Each environment is validated at its own `kubernetes_version` (else the run's).
The rendered Documents are returned so the caller evaluates policies on them too.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from gitops_guard.config import Config
from gitops_guard.errors import UsageError
from gitops_guard.evaluate import Evaluation
from gitops_guard.model import Document, Finding, PolicyTally
from gitops_guard.validate import validate_documents
from gitops_guard.validate.kubernetes import resolve_version
from gitops_guard.validate.options import SchemaOptions

if TYPE_CHECKING:
    from gitops_guard.render.model import Environment, RenderResult


def _environments(config: Config) -> dict[str, Environment]:
    """The configured environments; the renderers are imported only when there are some
    (a plain `check` of files never needs them: pre-commit latency)."""
    if not config.environments:
        return {}
    from gitops_guard.render import environments_from_config

    return environments_from_config(config)


def pick_environments(envs: Mapping[str, object], names: Sequence[str]) -> list[str]:
    """`names` checked against the configured environments, each once, in order given."""
    unknown = [n for n in names if n not in envs]
    if unknown:
        known = ", ".join(sorted(envs)) or "none configured"
        raise UsageError(f"--env {unknown[0]}: no such environment in .gitops-guard.yaml "
                         f"(environments: {known})")
    return list(dict.fromkeys(names))


def selected_environments(names: Sequence[str], config: Config, paths: Sequence[str]
                          ) -> list[str]:
    """`--env` names (checked), or every environment when neither paths nor names are given."""
    if names:
        return pick_environments(_environments(config), names)
    # files named (the pre-commit hook): no environment, so render/ is never imported
    return [] if paths else sorted(_environments(config))


def check_environments(names: Sequence[str], config: Config, schema: SchemaOptions,
                       validate: bool = True, renders: dict[str, RenderResult] | None = None
                       ) -> tuple[list[Document], list[Finding]]:
    """`renders` receives each environment's render (a `ci` plan reuses them)."""
    documents: list[Document] = []
    findings: list[Finding] = []
    if not names:
        return documents, findings
    from gitops_guard.render import render_environment

    envs = _environments(config)
    for name in names:
        env = envs[name]
        result = render_environment(env, config.root)
        if renders is not None:
            renders[name] = result
        findings.extend(result.findings)
        if validate:
            options = schema if not env.kubernetes_version else replace(
                schema, kubernetes_version=resolve_version(env.kubernetes_version))
            findings.extend(validate_documents(result.documents, options, config, []))
        documents.extend(result.documents)
    return documents, findings


def dedupe(findings: Sequence[Finding]) -> list[Finding]:
    """One finding per (rule, place, message): a base file shared by environments reports
    once, naming every environment it appears in ("staging, production")."""
    first: dict[tuple[str, str, int, int, str], int] = {}
    envs: list[list[str]] = []
    out: list[Finding] = []
    for f in findings:
        key = (f.rule_id, f.location.path, f.location.line, f.location.column, f.message)
        index = first.get(key)
        if index is None:
            first[key] = len(out)
            out.append(f)
            envs.append([f.env] if f.env else [])
        elif f.env and f.env not in envs[index]:
            envs[index].append(f.env)
    return [replace(f, env=", ".join(sorted(names))) if len(names) > 1 else f
            for f, names in zip(out, envs, strict=True)]


def outside_environments(files: Sequence[tuple[Path, str]], names: Sequence[str],
                         config: Config) -> list[tuple[Path, str]]:
    """The files no environment reads: checked as they are; the rest are checked rendered."""
    from gitops_guard.render import environment_inputs

    envs = _environments(config)
    graphs = [environment_inputs(envs[n], config.root) for n in names]
    return [(absolute, shown) for absolute, shown in files
            if not any(g.covers(shown) for g in graphs)]


def per_environment(documents: Sequence[Document],
                    evaluate: Callable[[Sequence[Document]], Evaluation]) -> Evaluation:
    """Policies see one environment at a time (and the plain repo files apart), so rules
    about the whole input (duplicates, missing NetworkPolicy) never mix environments."""
    groups: dict[str | None, list[Document]] = {}
    for doc in documents:
        groups.setdefault(doc.env, []).append(doc)
    if len(groups) <= 1:
        return evaluate(documents)
    results = [evaluate(group) for group in groups.values()]
    return Evaluation([f for r in results for f in r.findings],
                      frozenset().union(*(r.inactive_rules for r in results)),
                      PolicyTally.total([r.tally for r in results]))
