"""Schema-validation options, shared by every engine."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SchemaOptions:
    kubernetes_version: str  # resolved "X.Y"
    strict: bool = True
    missing_schemas: str = "warn"  # warn | ignore | reject
    schema_locations: tuple[str, ...] = field(default_factory=tuple)
    engine: str = "builtin"  # builtin | kubeconform
    # validate/apiserver: Kubernetes' own rules, CRD CEL rules, admission policies
    apiserver: bool = True
    apiserver_cel: bool = True
    admission_policies: bool = True
    admission_paths: tuple[str, ...] = ()  # -p / config policies: more admission policies
    feature_gates: tuple[tuple[str, bool], ...] = ()  # config apiserver.feature_gates
