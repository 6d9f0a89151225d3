"""A Flux fleet in a real git repository, and the oracle: `kubectl kustomize` of the
kustomization file kustomize-controller would build (written out by hand per case)."""
from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import yaml

from gitops_guard.render import render_environment
from gitops_guard.render.model import Environment, RenderResult
from tests.plan.helpers import GitRepo

URL = "https://github.com/example/fleet.git"
FLUX_KINDS = frozenset({"Kustomization", "GitRepository", "HelmRelease", "HelmRepository",
                        "OCIRepository", "ArtifactGenerator", "ExternalArtifact"})


def kustomization(name: str, path: str, source: str = "flux-system",
                  **spec: Any) -> dict[str, Any]:
    return {"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
            "metadata": {"name": name, "namespace": "flux-system"},
            "spec": {"interval": "10m", "path": path, "prune": True,
                     "sourceRef": {"kind": "GitRepository", "name": source}, **spec}}


def git_repository(name: str, ref: dict[str, str] | None = None,
                   url: str = URL) -> dict[str, Any]:
    spec: dict[str, Any] = {"interval": "1m", "url": url}
    if ref is not None:
        spec["ref"] = ref
    return {"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
            "metadata": {"name": name, "namespace": "flux-system"}, "spec": spec}


def flux_repo(root: Path, cluster: str = "prod") -> GitRepo:
    """A repo bootstrapped the way `flux bootstrap` leaves it: clusters/<cluster>/flux-system."""
    repo = GitRepo(root)
    repo.git("remote", "add", "origin", "git@github.com:example/fleet.git")
    repo.write(f"clusters/{cluster}/flux-system/gotk-sync.yaml", [
        git_repository("flux-system", {"branch": "main"}),
        kustomization("flux-system", f"./clusters/{cluster}")])
    repo.write(f"clusters/{cluster}/flux-system/kustomization.yaml",
               "resources: [gotk-sync.yaml]\n")
    return repo


def render(repo: GitRepo, cluster: str = "prod") -> RenderResult:
    return render_environment(Environment(cluster, f"clusters/{cluster}", ""), repo.root,
                              use_cache=False)


def _key(doc: dict[str, Any]) -> str:
    meta = doc.get("metadata") or {}
    namespace = meta.get("namespace")
    return f"{doc['kind']} {namespace + '/' if namespace else ''}{meta['name']}"


def objects(result: RenderResult) -> dict[str, dict[str, Any]]:
    """What the Kustomizations applied (the Flux objects themselves left out)."""
    return {str(d.resource): d.data for d in result.documents
            if d.data.get("kind") not in FLUX_KINDS}


def kubectl_kustomize(folder: Path, kustomization_text: str) -> dict[str, dict[str, Any]]:
    """The oracle: build `kustomization_text` written into `folder` (a scratch copy)."""
    (folder / "kustomization.yaml").write_text(kustomization_text)
    out = subprocess.run(["kubectl", "kustomize", "--load-restrictor", "LoadRestrictionsNone",
                          str(folder)], capture_output=True, text=True, check=True,
                         timeout=120).stdout
    return {_key(d): d for d in yaml.safe_load_all(out) if d}


def errors(result: RenderResult) -> list[str]:
    return [f"{f.rule_id} {f.location}: {f.message}" for f in result.findings
            if f.severity.name == "ERROR"]


def config_map(name: str, namespace: str = "") -> dict[str, Any]:
    meta = {"name": name, **({"namespace": namespace} if namespace else {})}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {"k": name}}
