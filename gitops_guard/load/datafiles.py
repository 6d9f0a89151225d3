"""Files that are data, not Kubernetes objects, and the kustomize build-config facts.

A GitOps repository holds more YAML than manifests: Helm's Chart.yaml and values files,
CI and tool configs, Grafana provisioning files. They are loaded (policies with
`kinds=("*",)` and custom schemas read them) but never judged as Kubernetes objects, so an
`apiVersion` without `kind` in them (Chart.yaml's `apiVersion: v2`) is not GG006.
"""
from __future__ import annotations

import fnmatch
from pathlib import Path, PurePosixPath
from typing import Any

# Kustomize's file names for a kustomization, in the order kustomize looks for them.
KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
# Kustomize build input (Kustomization, Component): never applied, so never schema-checked.
KUSTOMIZE_CONFIG_GROUPS = frozenset({"kustomize.config.k8s.io"})
# The apiVersion of kustomize's built-in generator and transformer configs
# (`apiVersion: builtin`, `kind: LabelTransformer`), listed under `transformers:`.
KUSTOMIZE_PLUGIN_API_VERSION = "builtin"

# file name (glob, case-sensitive) -> what it is, for files whose name says they are data.
_BY_NAME: dict[str, str] = {
    "Chart.yaml": "Helm chart metadata",
    "Chart.lock": "Helm chart lock file",
    "requirements.yaml": "Helm chart dependencies",
    "requirements.lock": "Helm chart lock file",
    "values*.yaml": "Helm values",
    "values*.yml": "Helm values",
    "*values.yaml": "Helm values",
    "*values.yml": "Helm values",
    "values*.json": "Helm values",
    "values.schema.json": "Helm values schema",
    ".pre-commit-config.yaml": "pre-commit configuration",
    ".pre-commit-hooks.yaml": "pre-commit hooks",
    ".gitlab-ci.yml": "CI configuration",
    ".travis.yml": "CI configuration",
    "azure-pipelines.yml": "CI configuration",
    "bitbucket-pipelines.yml": "CI configuration",
    "cloudbuild.yaml": "CI configuration",
    "docker-compose*.yml": "Docker Compose file",
    "docker-compose*.yaml": "Docker Compose file",
    "compose.yaml": "Docker Compose file",
    "compose.yml": "Docker Compose file",
    "mkdocs.yml": "MkDocs configuration",
    ".yamllint*": "yamllint configuration",
    ".sops.yaml": "SOPS configuration",
    "renovate.json": "Renovate configuration",
    ".renovaterc*": "Renovate configuration",
    "package.json": "npm package",
    "package-lock.json": "npm lock file",
    "tsconfig.json": "TypeScript configuration",
    ".goreleaser.y*ml": "GoReleaser configuration",
    "codecov.yml": "Codecov configuration",
    ".golangci.y*ml": "golangci-lint configuration",
    "Taskfile.y*ml": "Task configuration",
    "artifacthub-repo.yml": "Artifact Hub metadata",
    "ct.yaml": "chart-testing configuration",
    "cr.yaml": "chart-releaser configuration",
    ".gitops-guard.yaml": "gitops-guard configuration",
}
# A folder anywhere in the path that holds only tool configuration.
_BY_FOLDER: dict[str, str] = {
    ".github": "GitHub configuration",
    ".gitlab": "GitLab configuration",
    ".circleci": "CI configuration",
    ".devcontainer": "dev container configuration",
    ".vscode": "editor configuration",
}


def data_file_kind(path: str) -> str | None:
    """What a file is when its name says it is data, not a Kubernetes object."""
    parts = PurePosixPath(path).parts
    for folder in parts[:-1]:
        if folder in _BY_FOLDER:
            return _BY_FOLDER[folder]
    name = parts[-1] if parts else path
    for pattern, what in _BY_NAME.items():
        if fnmatch.fnmatchcase(name, pattern):
            return what
    return None


def is_data_document(path: str, value: dict[str, Any]) -> bool:
    """A mapping that is data whatever it holds: a data file by name, or an `apiVersion`
    that is no Kubernetes apiVersion (Grafana provisioning files say `apiVersion: 1`)."""
    api = value.get("apiVersion")
    return data_file_kind(path) is not None or (
        api is not None and not isinstance(api, str))


def is_build_config_api(api_version: str) -> bool:
    """Kustomize build input (a Kustomization, a built-in transformer's config)."""
    return (api_version == KUSTOMIZE_PLUGIN_API_VERSION
            or api_version.rpartition("/")[0] in KUSTOMIZE_CONFIG_GROUPS)


def kustomization_file(folder: Path) -> Path | None:
    for name in KUSTOMIZATION_FILES:
        if (folder / name).is_file():
            return folder / name
    return None
