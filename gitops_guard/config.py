"""`.gitops-guard.yaml` -> Config, validated against schemas/config.schema.json."""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import jsonschema_rs

from gitops_guard.config_sections import (
    EnvironmentSpec,
    PlanConfig,
    PolicyConfig,
    RenderLimits,
    Severity,
    SuppressionConfig,
    argocd_clusters,
    environment_specs,
    plan_config,
    policy_config,
    render_limits,
    suppression_config,
)
from gitops_guard.errors import ConfigError, UsageError
from gitops_guard.load.base import LoadLimits
from gitops_guard.load.yaml import load_yaml
from gitops_guard.model import format_path
from gitops_guard.resources import data_dir
from gitops_guard.timeouts import Timeouts, timeouts_from

CONFIG_NAME = ".gitops-guard.yaml"
DEFAULT_INCLUDE = ("**/*.yaml", "**/*.yml", "**/*.json", "**/*.tf", "**/*.tfvars")


@dataclass(frozen=True)
class ApiServerConfig:
    """`apiserver:`: what the API server would reject (validate/apiserver)."""

    enabled: bool = True
    cel: bool = True  # CRD x-kubernetes-validations rules
    admission_policies: bool = True  # ValidatingAdmissionPolicies found in the repo
    # Feature gates as the cluster's kube-apiserver sets them (validate/apiserver/gates.py)
    feature_gates: dict[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    """The repository's settings, each section parsed once into a typed value
    (config_sections.py); no stage reads the YAML mapping itself."""

    root: Path
    path: Path | None = None
    kubernetes_version: str | None = None
    strict: bool = True
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    schemas: tuple[str, ...] = ()
    custom_schemas: tuple[tuple[str, str], ...] = ()
    missing_schemas: Literal["warn", "ignore", "reject"] = "warn"
    schema_engine: Literal["builtin", "kubeconform"] = "builtin"
    fail_on: Literal["error", "warning", "info", "never"] = "error"
    min_severity: Severity | None = None
    skip_kinds: tuple[str, ...] = ()
    load_limits: LoadLimits = field(default_factory=LoadLimits)
    apiserver: ApiServerConfig = field(default_factory=ApiServerConfig)
    timeouts: Timeouts = field(default_factory=Timeouts)
    environments: Mapping[str, EnvironmentSpec] = field(default_factory=dict)  # config order
    argocd_clusters: tuple[dict[str, Any], ...] = ()  # argocd.clusters
    policy: PolicyConfig = field(default_factory=PolicyConfig)
    suppression: SuppressionConfig = field(default_factory=SuppressionConfig)
    plan: PlanConfig = field(default_factory=PlanConfig)
    render: RenderLimits = field(default_factory=RenderLimits)


def find_config(start: Path) -> Path | None:
    """The nearest .gitops-guard.yaml at or above `start`, stopping at a git root."""
    here = start.resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        if (folder / ".git").exists():
            return None
    return None


def resolve_config(explicit: str | None) -> Config:
    """`--config FILE` if given (exit 2 when missing), else the nearest .gitops-guard.yaml;
    the repository root is the config's directory, else the git work tree."""
    if explicit:
        path = Path(explicit).resolve()
        if not path.is_file():
            raise UsageError(f"{explicit}: config file not found")
        return load_config(path, path.parent)
    from gitops_guard.discover import find_root

    found = find_config(Path.cwd())
    return load_config(found, found.parent if found else find_root(Path.cwd()))


def _validator() -> Any:
    with (data_dir("schemas") / "config.schema.json").open("rb") as fh:
        return jsonschema_rs.validator_for(json.load(fh))


def load_config(path: Path | None, root: Path) -> Config:
    if path is None:
        return Config(root=root)
    shown = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read: {exc.strerror}") from None
    result = load_yaml(data, shown, LoadLimits(max_file_bytes=1024 * 1024))
    if result.findings:
        first = result.findings[0]
        raise ConfigError(f"{first.location}: {first.message}")
    if not result.documents:
        return Config(root=root, path=path)
    if len(result.documents) > 1:
        raise ConfigError(f"{shown}: holds {len(result.documents)} YAML documents, expected one")
    doc = result.documents[0]
    errors = list(_validator().iter_errors(doc.data))
    if errors:
        lines = []
        for err in errors[:10]:
            where = tuple(err.instance_path)
            if err.kind.name == "additionalProperties":
                for key in err.kind.as_dict().get("unexpected", []):
                    loc = doc.locate((*where, key))
                    lines.append(f"{loc}: unknown key {format_path((*where, key))!r}")
                continue
            loc = doc.locate(where) if where else doc.locate()
            lines.append(f"{loc}: {format_path(where) or 'config'}: {err.message}")
        raise ConfigError("invalid configuration:\n  " + "\n  ".join(lines))
    return _from_mapping(doc.data if isinstance(doc.data, dict) else {}, root, path)


def _from_mapping(raw: dict[str, Any], root: Path, path: Path) -> Config:
    limits = LoadLimits(**raw.get("load_limits", {}))
    defaults = Config(root=root)
    return Config(
        root=root,
        path=path,
        kubernetes_version=raw.get("kubernetes_version"),
        strict=raw.get("strict", True),
        include=tuple(raw.get("include", DEFAULT_INCLUDE)),
        exclude=tuple(raw.get("exclude", ())),
        schemas=tuple(raw.get("schemas", ())),
        custom_schemas=tuple((c["files"], c["schema"]) for c in raw.get("custom_schemas", ())),
        missing_schemas=raw.get("missing_schemas", defaults.missing_schemas),
        schema_engine=raw.get("schema_engine", defaults.schema_engine),
        fail_on=raw.get("fail_on", defaults.fail_on),
        min_severity=raw.get("min_severity"),
        skip_kinds=tuple(raw.get("skip_kinds") or ()),
        load_limits=limits,
        apiserver=ApiServerConfig(**raw.get("apiserver", {})),
        timeouts=timeouts_from(raw.get("timeouts")),
        environments=environment_specs(raw.get("environments") or {}),
        argocd_clusters=argocd_clusters(raw),
        policy=policy_config(raw),
        suppression=suppression_config(raw),
        plan=plan_config(raw),
        render=render_limits(raw),
    )
