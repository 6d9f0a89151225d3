"""Policy-evaluation options, shared by the Rego engines and the Python policy runner."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RegoOptions:
    policy_paths: tuple[str, ...] = ()  # .rego files or dirs (dirs walked recursively)
    namespaces: tuple[str, ...] = ("main",)  # package globs, conftest's -n
    all_namespaces: bool = False
    data_paths: tuple[str, ...] = ()  # JSON/YAML merged into `data`
    combine: bool = False  # one input: [{"path": ..., "contents": ...}, ...]
    engine: str = "embedded"  # embedded | opa | server
    opa_url: str = ""
    rego_version: str = "v1"  # v1 | v0
    timeout_seconds: float = 30.0
    # config rego_severities: METADATA custom.severity word (lower case) -> error|warning|info;
    # empty: the word does not change a rule's severity (deny fails, as in conftest)
    severities: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PolicyOptions:
    rego: RegoOptions = field(default_factory=RegoOptions)
    python_paths: tuple[str, ...] = ()  # .py policy files or dirs
    builtin: bool = True
    disabled: tuple[str, ...] = ()  # built-in rule ids switched off
    builtin_options: dict[str, object] = field(default_factory=dict, hash=False)
    baseline: str | None = None
    kubernetes_version: str = ""
    # Rules over all documents (scope="all") need the whole input; pre-commit hands the hook
    # only some files, possibly split across parallel batches, so it turns them off.
    cross_resource: bool = True
    # Each Python rule call (and loading a policy file): config `timeouts.policy_seconds`.
    timeout_seconds: float = 30.0
    jobs: int = 1  # -j: processes the rules are shared out to on large inputs
