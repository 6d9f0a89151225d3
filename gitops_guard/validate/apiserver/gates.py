"""Kubernetes feature gates that change what the API server accepts on create.

Each gate is on by default from the release named here (kubernetes
pkg/features/kube_features.go, the first version with `Default: true`), or off in every
release (alpha). The target version (`--kubernetes-version`, config `kubernetes_version`)
decides, unless the config's `apiserver.feature_gates` says how the cluster sets a gate
(`--feature-gates` of its kube-apiserver), e.g. `{HPAScaleToZero: true}`.
"""
from __future__ import annotations

GATES: dict[str, tuple[int, int] | None] = {
    "RelaxedEnvironmentVariableValidation": (1, 32),
    "SidecarContainers": (1, 29),
    "PodLifecycleSleepAction": (1, 30),
    "PodLifecycleSleepActionAllowZero": (1, 33),
    "RelaxedDNSSearchValidation": (1, 33),
    "ContainerRestartRules": (1, 35),
    "HPAScaleToZero": None,  # alpha since 1.16, off by default in every release
}


def enabled(name: str, version: tuple[int, int], overrides: dict[str, bool]) -> bool:
    if name in overrides:
        return overrides[name]
    since = GATES[name]
    return since is not None and version >= since
