"""The typed sections of `.gitops-guard.yaml`, parsed once (config.load_config) from the
mapping schemas/config.schema.json already checked; stages read these, never the mapping.

    environments: {NAME: {path, kind?, kubernetes_version?, namespace?, values?, set?,
                          live?, snapshot?, load_restrictor?}}      -> EnvironmentSpec
    argocd: {clusters: [{name, server, ...}]}                      -> argocd_clusters
    policies / data / namespaces / rego_severities / builtin       -> PolicyConfig
    suppressions: {inline, wildcards, never}, ignore: [...]        -> SuppressionConfig
    plan: {noise: {disable, extra}, secret_patterns}               -> PlanConfig
    limits: {render_memory_mb}, fetch_charts, chart_cache          -> RenderLimits
"""
from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, cast

from gitops_guard.errors import ConfigError

EnvironmentKind = Literal["kustomize", "helm", "plain", "terraform-plan"]
Severity = Literal["error", "warning", "info"]
RENDER_MEMORY_MB = 4096  # each kustomize / helm run, unless limits.render_memory_mb says


@dataclass(frozen=True)
class EnvironmentSpec:
    """One entry of `environments:` as written (its folder is checked when it is rendered)."""

    name: str
    path: str  # repo-relative, normalised ("." for the root)
    kind: EnvironmentKind | None = None  # None: detected from the folder
    kubernetes_version: str | None = None
    namespace: str | None = None
    values: tuple[str, ...] = ()
    set_values: Mapping[str, Any] = field(default_factory=dict, hash=False)
    live: Mapping[str, str] | None = field(default=None, hash=False)
    snapshot: str | None = None
    load_restrictor: Literal["root-only", "none"] = "root-only"


@dataclass(frozen=True)
class BuiltinConfig:
    """`builtin:`: the built-in policy library."""

    enabled: bool = True
    disable: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class PolicyConfig:
    """Where policies and their data come from, and how Rego findings are graded."""

    paths: tuple[str, ...] = ()  # `policies:` globs, relative to the repository root
    data: tuple[str, ...] = ()  # `data:` globs
    namespaces: tuple[str, ...] = ()  # Rego packages (none: the command's default)
    rego_severities: tuple[tuple[str, Severity], ...] = ()  # lower-case word -> severity
    builtin: BuiltinConfig = field(default_factory=BuiltinConfig)


@dataclass(frozen=True)
class IgnoreEntry:
    """One `ignore:` entry; `index` is its position, for locating it in the file."""

    index: int
    rule: str
    reason: str
    path: str = ""  # glob
    resource: str = ""
    until: date | None = None


@dataclass(frozen=True)
class SuppressionConfig:
    """`suppressions:` (what suppressions may hide) and the `ignore:` entries."""

    inline: bool = True
    wildcards: bool = True
    never: tuple[str, ...] = ()
    ignore: tuple[IgnoreEntry, ...] = ()


@dataclass(frozen=True)
class PlanConfig:
    """`plan:`: noise rules and secret masking of the plan diff."""

    noise_disable: tuple[str, ...] = ()
    noise_extra: tuple[tuple[str, str], ...] = ()  # (name, field-path glob)
    secret_patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class RenderLimits:
    """What rendering may use: memory per tool run, remote charts and their cache."""

    memory_mb: int = RENDER_MEMORY_MB
    fetch_charts: bool | None = None  # None: the command's default (check no, diff / ci yes)
    chart_cache: str | None = None  # as written; render/charts resolves it


def _until(value: Any, index: int) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"ignore[{index}].until: {value!r} is not a date (YYYY-MM-DD)"
                          ) from None


def environment_specs(raw: Mapping[str, Any]) -> dict[str, EnvironmentSpec]:
    return {str(name): EnvironmentSpec(
        name=str(name), path=posixpath.normpath(str(e["path"]).strip("/")) or ".",
        kind=e.get("kind"), kubernetes_version=e.get("kubernetes_version"),
        namespace=e.get("namespace"),
        values=tuple(posixpath.normpath(v) for v in e.get("values") or ()),
        set_values=dict(e.get("set") or {}), live=e.get("live"), snapshot=e.get("snapshot"),
        load_restrictor=e.get("load_restrictor", "root-only"))
        for name, e in raw.items()}


def policy_config(raw: Mapping[str, Any]) -> PolicyConfig:
    builtin = raw.get("builtin") or {}
    return PolicyConfig(
        paths=tuple(raw.get("policies") or ()), data=tuple(raw.get("data") or ()),
        namespaces=tuple(raw.get("namespaces") or ()),
        rego_severities=tuple(sorted((str(k).lower(), cast(Severity, v))
                                     for k, v in (raw.get("rego_severities") or {}).items())),
        builtin=BuiltinConfig(enabled=bool(builtin.get("enabled", True)),
                              disable=tuple(builtin.get("disable") or ()),
                              options=dict(builtin.get("options") or {})))


def suppression_config(raw: Mapping[str, Any]) -> SuppressionConfig:
    section = raw.get("suppressions") or {}
    ignore = tuple(IgnoreEntry(
        i, str(e.get("rule", "")), str(e.get("reason") or "").strip(),
        path=str(e.get("path") or ""), resource=str(e.get("resource") or ""),
        until=_until(e.get("until"), i))
        for i, e in enumerate(raw.get("ignore") or ()) if isinstance(e, Mapping))
    return SuppressionConfig(inline=bool(section.get("inline", True)),
                             wildcards=bool(section.get("wildcards", True)),
                             never=tuple(str(r) for r in section.get("never") or ()),
                             ignore=ignore)


def plan_config(raw: Mapping[str, Any]) -> PlanConfig:
    section = raw.get("plan") or {}
    noise = section.get("noise") or {}
    return PlanConfig(noise_disable=tuple(noise.get("disable") or ()),
                      noise_extra=tuple((e["name"], e["path"]) for e in noise.get("extra") or ()),
                      secret_patterns=tuple(section.get("secret_patterns") or ()))


def render_limits(raw: Mapping[str, Any]) -> RenderLimits:
    memory = (raw.get("limits") or {}).get("render_memory_mb")
    fetch = raw.get("fetch_charts")
    return RenderLimits(memory_mb=int(memory) if memory else RENDER_MEMORY_MB,
                        fetch_charts=None if fetch is None else bool(fetch),
                        chart_cache=str(raw["chart_cache"]) if raw.get("chart_cache") else None)


def argocd_clusters(raw: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
    return tuple(c for c in (raw.get("argocd") or {}).get("clusters") or ()
                 if isinstance(c, dict))
