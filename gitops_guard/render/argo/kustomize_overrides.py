"""Argo CD `source.kustomize` overrides, written into the source's kustomization file the
way the repo-server does it (`kustomize edit set/add ...` on its checkout), in its order:
namePrefix, nameSuffix, images, replicas, commonLabels, commonAnnotations, namespace,
patches (appended), components (appended). The caller builds the directory as if its
kustomization file held the returned text; nothing the user wrote is modified.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from gitops_guard.errors import GuardError
from gitops_guard.load.yaml_budget import safe_load_bounded
from gitops_guard.render.argo.env import envsubst
from gitops_guard.render.sources import as_dict

# Fields of `source.kustomize` that change the build (version, kubeVersion, apiVersions
# only choose the tool or Helm's capabilities; see NOT_REPRODUCED).
OVERRIDES = ("namePrefix", "nameSuffix", "images", "replicas", "commonLabels",
             "commonAnnotations", "namespace", "patches", "components")
NOT_REPRODUCED = {
    "version": "the kustomize version is the one on PATH here",
    "kubeVersion": "Helm charts inflated by kustomize see the default Kubernetes version",
    "apiVersions": "Helm charts inflated by kustomize see the default API versions",
}


class OverrideError(GuardError):
    """An override the repo-server's `kustomize edit` would refuse; the app fails to build."""


def parse_image(spec: str) -> dict[str, str]:
    """`[old=]name[:tag|@digest]` as `kustomize edit set image` reads it."""
    old, eq, new = spec.partition("=")
    target = new if eq else old
    entry: dict[str, str] = {}
    digest = ""
    if "@" in target:
        target, _, digest = target.partition("@")
    tag = ""
    slash = target.rfind("/")
    colon = target.rfind(":")
    if colon > slash:
        target, tag = target[:colon], target[colon + 1:]
    entry["name"] = old if eq else target
    if eq:
        entry["newName"] = target
    if tag:
        entry["newTag"] = tag
    if digest:
        entry["digest"] = digest
    return entry


def _set_image(images: list[Any], new: dict[str, str]) -> None:
    for existing in images:
        if isinstance(existing, dict) and existing.get("name") == new["name"]:
            if "newName" in new:
                existing["newName"] = new["newName"]
            if "newTag" in new:
                existing["newTag"] = new["newTag"]
                existing.pop("digest", None)
            if "digest" in new:
                existing["digest"] = new["digest"]
                existing.pop("newTag", None)
            return
    images.append(new)


def _add_pairs(doc: dict[str, Any], field: str, pairs: Mapping[str, str], force: bool) -> None:
    current = doc.setdefault(field, {})
    if not isinstance(current, dict):
        raise OverrideError(f"{field} in the kustomization file is not a mapping")
    for key, value in pairs.items():
        if key in current and not force:
            raise OverrideError(f"{field} key {key} is already in the kustomization file "
                                f"(kustomize edit refuses it; set force{field[0].upper()}"
                                f"{field[1:]})")
        current[key] = value


def _labels(doc: dict[str, Any], opts: dict[str, Any], env: Mapping[str, str]) -> None:
    labels = {str(k): envsubst(str(v), env) for k, v in as_dict(opts.get("commonLabels")).items()}
    if not labels:
        return
    force = bool(opts.get("forceCommonLabels"))
    if not opts.get("labelWithoutSelector"):
        _add_pairs(doc, "commonLabels", labels, force)
        return
    entries = doc.setdefault("labels", [])
    if not isinstance(entries, list):
        raise OverrideError("labels in the kustomization file is not a list")
    entry: dict[str, Any] = {"pairs": labels, "includeSelectors": False}
    if opts.get("labelIncludeTemplates"):
        entry["includeTemplates"] = True
    entries.append(entry)


def overridden(kustomization: Path, opts: dict[str, Any], env: Mapping[str, str],
               folder: Path, repo_root: Path) -> str:
    """The kustomization file's text with `opts` written in."""
    try:
        loaded = safe_load_bounded(kustomization.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise OverrideError(f"cannot read {kustomization.name}: {exc}") from None
    doc: dict[str, Any] = loaded if isinstance(loaded, dict) else {}
    if opts.get("namePrefix"):
        doc["namePrefix"] = str(opts["namePrefix"])
    if opts.get("nameSuffix"):
        doc["nameSuffix"] = str(opts["nameSuffix"])
    images = doc.setdefault("images", []) if opts.get("images") else None
    for image in opts.get("images") or ():
        if isinstance(images, list):
            _set_image(images, parse_image(envsubst(str(image), env)))
    replicas = doc.setdefault("replicas", []) if opts.get("replicas") else None
    for item in opts.get("replicas") or ():
        if not isinstance(item, dict) or not isinstance(replicas, list):
            continue
        try:
            count = int(str(item.get("count")))
        except ValueError:
            raise OverrideError(f"replicas {item.get('name')}: count {item.get('count')!r} is "
                                "not a number") from None
        replicas[:] = [r for r in replicas if not (isinstance(r, dict)
                                                   and r.get("name") == item.get("name"))]
        replicas.append({"name": str(item.get("name")), "count": count})
    _labels(doc, opts, env)
    annotations = {str(k): envsubst(str(v), env) if opts.get("commonAnnotationsEnvsubst")
                   else str(v) for k, v in as_dict(opts.get("commonAnnotations")).items()}
    if annotations:
        _add_pairs(doc, "commonAnnotations", annotations,
                   bool(opts.get("forceCommonAnnotations")))
    if opts.get("namespace"):
        doc["namespace"] = str(opts["namespace"])
    if opts.get("patches"):
        existing = doc.get("patches") or []
        if not isinstance(existing, list):
            raise OverrideError("patches in the kustomization file is not a list")
        doc["patches"] = [*existing, *(p for p in opts["patches"] if isinstance(p, dict))]
    components = [str(c) for c in opts.get("components") or ()]
    if opts.get("ignoreMissingComponents"):
        components = [c for c in components if (folder / c).resolve().is_relative_to(
            repo_root.resolve()) and (folder / c).exists()]
    if components:
        current = doc.setdefault("components", [])
        if isinstance(current, list):
            current.extend(c for c in components if c not in current)
    return str(yaml.safe_dump(doc, sort_keys=False))
