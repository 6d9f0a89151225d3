"""Where the plan's objects come from: the environments and their rendered documents.

`render_objects` is the single seam to the render stage: it uses
`gitops_guard.render.render_environment` when the render stage provides it and
otherwise loads the environment's directory as plain YAML/JSON (or a Kustomize
directory through `kubectl kustomize`).
"""
from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from gitops_guard import render
from gitops_guard.check import load_files
from gitops_guard.config import Config
from gitops_guard.discover import discover_files
from gitops_guard.errors import ConfigError, GuardError, ToolMissingError
from gitops_guard.load import load_bytes
from gitops_guard.render.kustomize import KUSTOMIZATION_FILES
from gitops_guard.render.model import Environment

REPO_ENV = "repo"
TERRAFORM = "terraform-plan"
RENDER_TIMEOUT = 300

Objects = list[tuple[dict[str, Any], str]]


def environments(config: Config) -> dict[str, Environment]:
    """The configured environments, or the whole repository as one named `repo`."""
    from_config: Callable[[Config], dict[str, Environment]] | None = getattr(
        render, "environments_from_config", None)
    raw: dict[str, Any] = config.raw.get("environments") or {}
    # Terraform plans are not rendered: the plan stage reads them itself.
    terraform = {n: e for n, e in raw.items() if e.get("kind") == TERRAFORM}
    envs: dict[str, Environment] = {}
    if from_config is not None:
        rendered = {n: e for n, e in raw.items() if n not in terraform}
        envs = from_config(replace(config, raw={**config.raw, "environments": rendered}))
    else:
        for name, spec in raw.items():
            envs[name] = Environment(
                name=name, path=spec["path"], kind=spec.get("kind", ""),
                kubernetes_version=spec.get("kubernetes_version"),
                namespace=spec.get("namespace"), values=tuple(spec.get("values", ())),
                set_values=dict(spec.get("set", {})), live=spec.get("live"),
                snapshot=spec.get("snapshot"))
    for name, spec in terraform.items():
        envs[name] = Environment(name=name, path=spec["path"], kind=TERRAFORM)
    envs = {name: envs[name] for name in raw if name in envs}  # config order
    return envs or {REPO_ENV: Environment(REPO_ENV, ".", kind="plain")}


def select(envs: dict[str, Environment], names: list[str]) -> list[Environment]:
    unknown = [n for n in names if n not in envs]
    if unknown:
        known = ", ".join(sorted(envs)) or "none"
        raise ConfigError(f"unknown environment {', '.join(unknown)} (configured: {known})")
    return [envs[n] for n in names] if names else list(envs.values())


def _kustomize(folder: Path, root: Path) -> bytes:
    tool = (["kustomize", "build"] if shutil.which("kustomize") else
            ["kubectl", "kustomize"] if shutil.which("kubectl") else None)
    if tool is None:
        raise ToolMissingError("kustomize", "install kustomize or kubectl")
    proc = subprocess.run([*tool, str(folder)], capture_output=True, timeout=RENDER_TIMEOUT,
                          check=False, cwd=root)
    if proc.returncode != 0:
        err = proc.stderr.decode(errors="replace").strip()
        raise GuardError(f"{' '.join(tool)} {folder.relative_to(root)} failed: {err}")
    return proc.stdout


def _fallback_render(env: Environment, root: Path, config: Config) -> tuple[Objects, list[str]]:
    folder = (root / env.path).resolve()
    if not folder.exists():
        return [], [f"{env.path} does not exist here"]
    if folder.is_dir() and env.kind in ("", "kustomize") and any(
            (folder / k).is_file() for k in KUSTOMIZATION_FILES):
        result = load_bytes(_kustomize(folder, root), f"{env.path}/kustomization.yaml")
        docs, notes = result.documents, [f.message for f in result.findings]
    else:
        files = discover_files([str(folder)], root, config.include, config.exclude)
        docs, findings = load_files(files, config.load_limits)
        notes = [f"{f.location}: {f.message}" for f in findings]
    return [(d.data, d.path) for d in docs if d.is_kubernetes], notes


def render_objects(env: Environment, root: Path, config: Config) -> tuple[Objects, list[str]]:
    """The Kubernetes objects `env` deploys from the tree at `root`, plus notes to show."""
    render_environment = getattr(render, "render_environment", None)
    if render_environment is None or env.name == REPO_ENV:
        return _fallback_render(env, root, config)
    if not (root / env.path).exists():
        return [], [f"{env.path} does not exist here"]
    # No render cache: the plan writes nothing into the user's working tree.
    result = render_environment(env, root, use_cache=False)
    notes = [f"{f.location}: {f.message}" for f in result.findings]
    notes.extend(result.skipped)
    return [(d.data, d.path) for d in result.documents if d.is_kubernetes], notes
