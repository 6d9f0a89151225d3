"""Resolve Flux and Argo CD objects found in a render, and render what they point at.

The Resolver collects what an environment renders to and dispatches every GitOps object
among it; the Flux objects are handled here, the Argo CD ones in argo.py:

- Flux `Kustomization` (kustomize.toolkit.fluxcd.io): spec.path from this repo, then
  postBuild.substitute / substituteFrom ConfigMaps, then spec.targetNamespace.
- Flux `HelmRelease` (helm.toolkit.fluxcd.io): a chart path in this repo via a
  GitRepository; chart valuesFiles, valuesFrom ConfigMaps, then spec.values.
- Argo CD `Application` and `ApplicationSet` (list and git-directory generators):
  sources whose repoURL is this repo; path, helm valueFiles/values/parameters (argo.py).
ConfigMaps are looked up among the resources rendered so far, as the controller
finds them in the cluster. Remote sources are skipped with the reason.
"""
from __future__ import annotations

import json
import posixpath
from pathlib import Path
from typing import Any

from gitops_guard.model import Finding, Severity
from gitops_guard.render import argo
from gitops_guard.render.findings import (
    REFERENCE_NOT_FOUND,
    RENDER_LIMIT,
    SOURCE_SKIPPED,
    render_finding,
)
from gitops_guard.render.helm import deep_merge, load_values, render_chart
from gitops_guard.render.kustomize import kustomization_file, kustomize_build
from gitops_guard.render.plain import load_plain
from gitops_guard.render.repo import FLUX_BOOTSTRAP_SOURCE, is_this_repo
from gitops_guard.render.sources import Rendered, SourceFiles, as_dict
from gitops_guard.render.substitute import substitute
from gitops_guard.render.values import yaml_values

MAX_DEPTH = 10
_CLUSTER_SCOPED = frozenset({
    "Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding",
    "StorageClass", "PersistentVolume", "PriorityClass", "IngressClass", "RuntimeClass",
    "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService",
    "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "CSIDriver"})


def path_key(path: str, post: dict[str, Any], target: Any) -> str:
    clean = posixpath.normpath(path.lstrip("/")) or "."
    return f"path {clean} {json.dumps(post, sort_keys=True, default=str)} {target or ''}"


def _spec(data: dict[str, Any]) -> dict[str, Any]:
    spec = data.get("spec")
    return spec if isinstance(spec, dict) else {}


def _meta(data: dict[str, Any]) -> tuple[str, str]:
    meta = as_dict(data.get("metadata"))
    return str(meta.get("name", "")), str(meta.get("namespace", "") or "")


class Resolver:
    """Renders what GitOps objects point at, collecting resources, findings and skips."""

    def __init__(self, root: Path, env: str | None, load_restrictor_none: bool = False) -> None:
        self.root = root
        self.env = env
        self.load_restrictor_none = load_restrictor_none
        self.items: list[Rendered] = []
        self.findings: list[Finding] = []
        self.skipped: list[str] = []
        self.files = SourceFiles(root)
        self._seen: set[str] = set()

    # -- rendering a repo path -------------------------------------------------------------
    def render_path(self, path: str, kind: str = "", recursive: bool = True) -> list[Rendered]:
        path = posixpath.normpath(path.lstrip("/")) or "."
        folder = self.root / path
        if not folder.exists():
            return []
        if kind == "kustomize" or (not kind and folder.is_dir() and kustomization_file(folder)):
            items, findings = kustomize_build(path, self.root, self.env,
                                              self.load_restrictor_none)
        else:
            items, findings = load_plain(path, self.root, recursive)
        self.findings.extend(findings)
        return items

    def mark_rendered(self, path: str) -> None:
        """`path` is the environment itself: a Flux object syncing it adds nothing."""
        self._seen.add(path_key(path, {}, None))

    def add(self, items: list[Rendered], depth: int = 0) -> None:
        """Add rendered resources, then resolve the GitOps objects among them."""
        self.items.extend(items)
        for item in items:
            if isinstance(item.data, dict):
                self._resolve(item, depth)

    # -- helpers (skip, missing and enter are also argo.py's) -------------------------------
    def _where(self, item: Rendered) -> tuple[str, int]:
        doc = self.files.document(item.source, item.source_doc) if (
            item.source and item.source_doc is not None) else None
        return item.source or "<rendered>", doc.line if doc else item.line

    def skip(self, item: Rendered, reason: str) -> None:
        kind, (name, _) = item.data.get("kind"), _meta(item.data)
        text = f"{kind} {name}: {reason}"
        self.skipped.append(text)
        path, line = self._where(item)
        self.findings.append(render_finding(SOURCE_SKIPPED, f"not rendered: {text}", path,
                                            line, 1, self.env, Severity.INFO))

    def missing(self, item: Rendered, message: str, severity: Severity = Severity.ERROR
                ) -> None:
        path, line = self._where(item)
        self.findings.append(render_finding(REFERENCE_NOT_FOUND, message, path, line, 1,
                                            self.env, severity))

    def enter(self, key: str, item: Rendered, depth: int) -> bool:
        if depth >= MAX_DEPTH or key in self._seen:
            path, line = self._where(item)
            why = "nested too deep" if depth >= MAX_DEPTH else "already rendered (a cycle?)"
            if depth >= MAX_DEPTH:
                self.findings.append(render_finding(RENDER_LIMIT, f"{key}: {why}", path, line,
                                                    1, self.env, Severity.WARNING))
            return False
        self._seen.add(key)
        return True

    def _find(self, kind: str, name: str, namespace: str) -> dict[str, Any] | None:
        for item in self.items:
            d = item.data
            if isinstance(d, dict) and d.get("kind") == kind and _meta(d)[0] == name and (
                    not namespace or _meta(d)[1] in ("", namespace)):
                return d
        return None

    def _git_source_is_repo(self, ref: dict[str, Any], namespace: str) -> str | None:
        """None when `ref` is this repo, else why it is not."""
        kind, name = ref.get("kind", "GitRepository"), str(ref.get("name", ""))
        if kind != "GitRepository":
            return f"source {kind}/{name} is not a Git repository"
        if name == FLUX_BOOTSTRAP_SOURCE:
            return None
        repo = self._find("GitRepository", name, str(ref.get("namespace") or namespace))
        url = str(_spec(repo).get("url", "")) if repo else ""
        if url and is_this_repo(url, self.root):
            return None
        return f"source GitRepository/{name} ({url or 'not found in this repo'}) " \
               "is another repository"

    # -- the objects ---------------------------------------------------------------------------
    def _resolve(self, item: Rendered, depth: int) -> None:
        data = item.data
        api, kind = str(data.get("apiVersion", "")), data.get("kind")
        if api.startswith("kustomize.toolkit.fluxcd.io/") and kind == "Kustomization":
            self._flux_kustomization(item, depth)
        elif api.startswith("helm.toolkit.fluxcd.io/") and kind == "HelmRelease":
            self._helm_release(item, depth)
        elif api.startswith("argoproj.io/") and kind == "Application":
            argo.application(self, item, data, depth)
        elif api.startswith("argoproj.io/") and kind == "ApplicationSet":
            argo.application_set(self, item, depth)

    def _variables(self, item: Rendered, post: dict[str, Any], namespace: str) -> dict[str, str]:
        variables: dict[str, str] = {}
        for ref in post.get("substituteFrom") or ():
            if not isinstance(ref, dict):
                continue
            kind, name = ref.get("kind", "ConfigMap"), str(ref.get("name", ""))
            if kind != "ConfigMap":
                self.skip(item, f"substituteFrom {kind}/{name}: secret values are not read")
                continue
            found = self._find("ConfigMap", name, namespace)
            if found is None:
                if not ref.get("optional"):
                    self.missing(item, f"substituteFrom ConfigMap {name} is not in the "
                                 "rendered resources (the controller would fail)")
                continue
            data = as_dict(found.get("data"))
            variables.update({str(k): str(v) for k, v in data.items()})
        substitute_map = as_dict(post.get("substitute"))
        variables.update({str(k): str(v) for k, v in substitute_map.items()})
        return variables

    def _flux_kustomization(self, item: Rendered, depth: int) -> None:
        spec = _spec(item.data)
        name, namespace = _meta(item.data)
        why = self._git_source_is_repo(spec.get("sourceRef") or {}, namespace)
        if why:
            self.skip(item, why)
            return
        path = str(spec.get("path") or ".")
        if not (self.root / path.lstrip("/")).exists():
            self.missing(item, f"Kustomization {name}: spec.path {path} does not exist")
            return
        post = as_dict(spec.get("postBuild"))
        if not self.enter(path_key(path, post, spec.get("targetNamespace")), item, depth):
            return  # the same path rendered the same way already (e.g. flux-system itself)
        rendered = self.render_path(path.lstrip("/"))
        if post:
            variables = self._variables(item, post, namespace)
            rendered = [Rendered(substitute(r.data, variables), r.source, r.source_doc, r.line,
                                 r.patches) for r in rendered]
        target = spec.get("targetNamespace")
        if isinstance(target, str) and target:
            for r in rendered:
                if isinstance(r.data, dict) and r.data.get("kind") not in _CLUSTER_SCOPED and \
                        isinstance(r.data.get("metadata"), dict):
                    r.data["metadata"]["namespace"] = target
        self.add(rendered, depth + 1)

    def _helm_release(self, item: Rendered, depth: int) -> None:
        spec = _spec(item.data)
        name, namespace = _meta(item.data)
        if "chartRef" in spec:
            self.skip(item, "chartRef (OCIRepository / HelmChart) is a remote source")
            return
        chart = (spec.get("chart") or {}).get("spec") or {}
        why = self._git_source_is_repo(chart.get("sourceRef") or {}, namespace)
        if why:
            self.skip(item, f"chart {chart.get('chart', '?')}: {why}")
            return
        path = posixpath.normpath(str(chart.get("chart", "")).lstrip("/"))
        if not (self.root / path / "Chart.yaml").is_file():
            self.missing(item, f"HelmRelease {name}: chart {path} has no Chart.yaml")
            return
        if not self.enter(f"HelmRelease {namespace}/{name}", item, depth):
            return
        values, findings = load_values(
            [str(v) for v in chart.get("valuesFiles") or ()], self.root, self.env, item.source)
        self.findings.extend(findings)
        for ref in spec.get("valuesFrom") or ():
            values = self._values_from(item, ref, namespace, values)
        if isinstance(spec.get("values"), dict):
            values = deep_merge(values, spec["values"])
        target = spec.get("targetNamespace") or namespace or "default"
        release = spec.get("releaseName") or (
            f"{spec['targetNamespace']}-{name}" if spec.get("targetNamespace") else name)
        items, findings = render_chart(path, self.root, self.env, release=str(release),
                                       namespace=str(target), values=values)
        self.findings.extend(findings)
        self.add(items, depth + 1)

    def _values_from(self, item: Rendered, ref: Any, namespace: str,
                     values: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(ref, dict):
            return values
        kind, name = ref.get("kind", "ConfigMap"), str(ref.get("name", ""))
        if kind != "ConfigMap":
            self.skip(item, f"valuesFrom {kind}/{name}: secret values are not read")
            return values
        found = self._find("ConfigMap", name, namespace)
        text = ((found or {}).get("data") or {}).get(ref.get("valuesKey") or "values.yaml")
        if text is None:
            if not ref.get("optional"):
                self.missing(item, f"valuesFrom ConfigMap {name} (key "
                             f"{ref.get('valuesKey') or 'values.yaml'}) is not in the rendered "
                             "resources")
            return values
        if ref.get("targetPath"):
            nested: dict[str, Any] = {}
            here = nested
            parts = str(ref["targetPath"]).split(".")
            for part in parts[:-1]:
                here = here.setdefault(part, {})
            here[parts[-1]] = text
            return deep_merge(values, nested)
        loaded, findings = yaml_values(str(text))
        self.findings.extend(findings)
        return deep_merge(values, loaded)
