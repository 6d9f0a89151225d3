"""What helm-controller does to a chart's output before applying it (postrender.Build):

1. each `postRenderers[].kustomize` in order: `patches` (strategic merge or JSON 6902,
   with `target`) and `images`, built by kustomize over the Helm output;
2. `commonMetadata` labels and annotations on every object;
3. the origin labels `helm.toolkit.fluxcd.io/name` and `/namespace` on every object
   (they win over commonMetadata).

Objects keep the source location they had before (the chart file, or the HelmRelease
for a remote chart), matched by kind, namespace and name.
"""
from __future__ import annotations

import json
import shutil
from typing import Any

import yaml

from gitops_guard.load.base import LoadLimits
from gitops_guard.load.yaml import load_yaml
from gitops_guard.model import Finding
from gitops_guard.render.findings import RENDER_FAILED, render_finding, timeout_finding
from gitops_guard.render.kustomize_errors import error_text
from gitops_guard.render.sources import Rendered, as_dict
from gitops_guard.render.tools import kustomize_command, run_tool
from gitops_guard.scratch import make_scratch

GROUP = "helm.toolkit.fluxcd.io"
_SELECTOR = {"group": "group", "version": "version", "kind": "kind", "name": "name",
             "namespace": "namespace", "labelSelector": "labelSelector",
             "annotationSelector": "annotationSelector"}


def _key(data: Any) -> tuple[str, str, str]:
    meta = as_dict(as_dict(data).get("metadata"))
    return (str(as_dict(data).get("kind", "")), str(meta.get("namespace", "") or ""),
            str(meta.get("name", "")))


def kustomize(items: list[Rendered], post: dict[str, Any], where: tuple[str, int],
              env: str | None) -> tuple[list[Rendered], list[Finding]]:
    """One `postRenderers[].kustomize` over `items`."""
    config: dict[str, Any] = {"apiVersion": "kustomize.config.k8s.io/v1beta1",
                              "kind": "Kustomization", "resources": ["helm-output.yaml"]}
    if post.get("images"):
        config["images"] = post["images"]
    patches = [{"patch": p["patch"], **({"target": {k: v for k, v in as_dict(
        p.get("target")).items() if k in _SELECTOR}} if p.get("target") else {})}
        for p in post.get("patches") or () if isinstance(p, dict) and p.get("patch")]
    if patches:
        config["patches"] = patches
    if len(config) == 3:
        return items, []
    folder = make_scratch("postrender")
    try:
        (folder / "helm-output.yaml").write_text(
            yaml.safe_dump_all([i.data for i in items], sort_keys=False), encoding="utf-8")
        (folder / "kustomization.yaml").write_text(json.dumps(config), encoding="utf-8")
        run = run_tool([*kustomize_command(), "--load-restrictor", "LoadRestrictionsNone",
                        str(folder)])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    path, line = where
    if run.timed_out:
        return items, [timeout_finding("kustomize", "postRenderers", run.seconds, path, env)]
    if run.returncode != 0:
        message = error_text(run.stderr.replace(str(folder) + "/", ""))
        return items, [render_finding(RENDER_FAILED, f"postRenderers kustomize failed: "
                                      f"{message}", path, line, 1, env)]
    loaded = load_yaml(run.stdout.encode(), path, LoadLimits(max_file_bytes=1 << 30))
    before = {_key(i.data): i for i in items}
    out: list[Rendered] = []
    for doc in loaded.documents:
        if doc.data is None:
            continue
        old = before.get(_key(doc.data))
        out.append(Rendered(doc.data, old.source, old.source_doc, old.line) if old else
                   Rendered(doc.data, path, None, line))
    return out, []


def _label(data: dict[str, Any], field: str, values: dict[str, str]) -> None:
    meta = data.setdefault("metadata", {})
    if not isinstance(meta, dict):
        return
    if not isinstance(meta.get(field), dict):
        meta[field] = {}
    meta[field].update(values)


def metadata(items: list[Rendered], spec: dict[str, Any], name: str, namespace: str) -> None:
    """commonMetadata, then the origin labels, on every object (in place)."""
    common = as_dict(spec.get("commonMetadata"))
    origin = {f"{GROUP}/name": name, f"{GROUP}/namespace": namespace}
    for item in items:
        if not isinstance(item.data, dict):
            continue
        if as_dict(common.get("labels")):
            _label(item.data, "labels", {str(k): str(v) for k, v in common["labels"].items()})
        if as_dict(common.get("annotations")):
            _label(item.data, "annotations", {str(k): str(v)
                                              for k, v in common["annotations"].items()})
        _label(item.data, "labels", origin)


def post_render(items: list[Rendered], spec: dict[str, Any], name: str, namespace: str,
                where: tuple[str, int], env: str | None) -> tuple[list[Rendered], list[Finding]]:
    findings: list[Finding] = []
    for post in spec.get("postRenderers") or ():
        if isinstance(post, dict) and isinstance(post.get("kustomize"), dict):
            items, more = kustomize(items, post["kustomize"], where, env)
            findings.extend(more)
    metadata(items, spec, name, namespace)
    return items, findings
