"""kustomize-controller's generator: the kustomization file a Flux Kustomization builds.

Same rules as fluxcd/pkg `kustomize.Generator`:

- `spec.path` with a kustomization file: that file. Without one: a generated file
  whose resources are every `.yaml`/`.yml` file below, recursively, in walk order,
  except that a subdirectory with its own kustomization file is listed as one
  resource and not descended into; kustomization files are never resources. Each
  listed file must decode as Kubernetes objects (`kind`, and `metadata.name` unless a
  List), else the controller fails the Kustomization (`undecodable` names the file).
- then the Kustomization's fields are written into it: `targetNamespace` becomes
  `namespace`, `namePrefix`, `nameSuffix`, `patches` (and v1beta2
  `patchesStrategicMerge` / `patchesJson6902`) are appended, `components` are appended
  (local relative paths only; missing ones dropped with `ignoreMissingComponents`),
  `images` are merged by name into the file's own.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from gitops_guard.load.datafiles import kustomization_file
from gitops_guard.load.yaml_budget import safe_load_bounded
from gitops_guard.render.flux.sourceignore import SourceIgnore
from gitops_guard.render.sources import as_dict

MANIFEST_SUFFIXES = (".yaml", ".yml")
# Kustomization fields written into the kustomization file (the rest is the controller's).
OVERLAY_FIELDS = ("targetNamespace", "namePrefix", "nameSuffix", "patches", "components",
                  "patchesStrategicMerge", "patchesJson6902", "images")
_SELECTOR_KEYS = ("group", "version", "kind", "name", "namespace", "labelSelector",
                  "annotationSelector")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_REMOTE_PREFIXES = ("git::", "gh:", "ssh://", "https://", "http://", "git@", "github.com:",
                    "github.com/")


class GeneratorError(ValueError):
    """The controller would refuse this Kustomization before building it."""


@dataclass(frozen=True)
class Kustomization:
    text: str  # the kustomization file the controller builds
    generated: bool  # True: the directory had none of its own
    resources: tuple[str, ...] = ()  # what the generator listed (generated only)


def scan_manifests(folder: Path, root: Path, ignore: SourceIgnore) -> list[str]:
    """Resources of a generated kustomization for `folder`, relative to it (`./a.yaml`)."""
    out: list[str] = []
    _walk(folder, folder, root, ignore, out)
    return out


def _walk(here: Path, folder: Path, root: Path, ignore: SourceIgnore, out: list[str]) -> None:
    # filepath.Walk: lexical order, depth first, links to directories are not followed
    for entry in sorted(os.scandir(here), key=lambda e: e.name):
        path = Path(entry.path)
        is_dir = entry.is_dir(follow_symlinks=False)
        if ignore.ignored(path.relative_to(root).as_posix(), is_dir):
            continue
        if is_dir:
            if kustomization_file(path):
                out.append("./" + path.relative_to(folder).as_posix())
            else:
                _walk(path, folder, root, ignore, out)
        elif entry.name.endswith(MANIFEST_SUFFIXES) and path.is_file():
            out.append("./" + path.relative_to(folder).as_posix())


def undecodable(kustomization: Kustomization, folder: Path, root: Path) -> str | None:
    """Why the controller's scanManifests refuses a file of a generated kustomization
    (kustomize's resource factory: every document needs `kind`, and `metadata.name`
    unless it is a List), or None. Asked only after a build failed: kustomize refuses
    the same files, with a message that names neither the file nor the rule."""
    for resource in kustomization.resources:
        path = folder / resource
        if path.is_file():
            try:
                _decode(path, root)
            except GeneratorError as exc:
                return str(exc)
    return None


def _decode(path: Path, root: Path) -> None:
    where = path.relative_to(root).as_posix()
    try:
        docs = list(yaml.load_all(path.read_text(encoding="utf-8"), Loader=_LOADER))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise GeneratorError(f"failed to decode Kubernetes YAML from {where}: {problem}"
                             ) from None
    for doc in docs:
        if doc is None or doc == {}:
            continue
        kind = doc.get("kind") if isinstance(doc, dict) else None
        meta = doc.get("metadata") if isinstance(doc, dict) else None
        if not isinstance(doc, dict):
            problem = "not an object"
        elif not kind:
            problem = "missing kind"
        elif not str(kind).endswith("List") and not (
                isinstance(meta, dict) and meta.get("name")):
            problem = "missing metadata.name"
        else:
            continue
        raise GeneratorError(f"failed to decode Kubernetes YAML from {where}: {problem}")


def _selector(target: Any) -> dict[str, Any] | None:
    if not isinstance(target, dict):
        return None
    return {k: target[k] for k in _SELECTOR_KEYS if target.get(k)}


def is_local_relative(path: str) -> bool:
    lowered = path.lower()
    if any(len(p) < len(path) and lowered.startswith(p) for p in _REMOTE_PREFIXES):
        return False
    return not (path.startswith("/") or lowered.removeprefix("file://").startswith("/"))


def _images(own: list[Any], spec_images: list[Any]) -> list[Any]:
    out = [dict(i) if isinstance(i, dict) else i for i in own]
    for image in spec_images:
        if not isinstance(image, dict):
            continue
        match = next((i for i in out if isinstance(i, dict) and i.get("name") == image.get(
            "name")), None)
        if match is None:
            out.append({k: image[k] for k in ("name", "newName", "newTag", "digest")
                        if image.get(k)})
            continue
        if image.get("newName"):
            match["newName"] = image["newName"]
        if image.get("newTag") or image.get("digest"):  # tag and digest change together
            for key in ("newTag", "digest"):
                if image.get(key):
                    match[key] = image[key]
                else:
                    match.pop(key, None)
    return out


def overlay(config: dict[str, Any], spec: dict[str, Any], folder: Path) -> dict[str, Any]:
    """`config` (a kustomization) with the Kustomization's fields written in."""
    out = dict(config)
    out.setdefault("apiVersion", "kustomize.config.k8s.io/v1beta1")
    out.setdefault("kind", "Kustomization")
    for field, key in (("targetNamespace", "namespace"), ("namePrefix", "namePrefix"),
                       ("nameSuffix", "nameSuffix")):
        if isinstance(spec.get(field), str):
            out[key] = spec[field]
    patches = [p for p in spec.get("patches") or () if isinstance(p, dict)]
    if patches:
        out["patches"] = [*(out.get("patches") or ()), *(
            {"patch": str(p.get("patch", "")), **({"target": t} if (t := _selector(
                p.get("target"))) else {})} for p in patches)]
    components = [str(c) for c in spec.get("components") or ()]
    for component in components:
        if not is_local_relative(component):
            raise GeneratorError(f"component path '{component}' must be local and relative")
    kept = [c for c in components if not spec.get("ignoreMissingComponents")
            or (folder / c).exists()]
    if kept:
        out["components"] = [*(out.get("components") or ()), *kept]
    smp = [p for p in spec.get("patchesStrategicMerge") or () if isinstance(p, dict)]
    if smp:
        out["patchesStrategicMerge"] = [*(out.get("patchesStrategicMerge") or ()),
                                        *(json.dumps(p) for p in smp)]
    json6902 = [p for p in spec.get("patchesJson6902") or () if isinstance(p, dict)]
    if json6902:
        out["patchesJson6902"] = [*(out.get("patchesJson6902") or ()), *(
            {"patch": json.dumps(p.get("patch")), "target": _selector(p.get("target")) or {}}
            for p in json6902)]
    images = [i for i in spec.get("images") or () if isinstance(i, dict)]
    if images:
        out["images"] = _images(list(out.get("images") or ()), images)
    return out


def needs_overlay(spec: dict[str, Any]) -> bool:
    return any(spec.get(f) not in (None, "", [], {}) for f in OVERLAY_FIELDS)


def _load(path: Path) -> dict[str, Any]:
    try:
        loaded = safe_load_bounded(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise GeneratorError(f"{path.name} does not parse: {exc}") from None
    return as_dict(loaded)


def kustomization_for(folder: Path, root: Path, spec: dict[str, Any],
                      ignore: SourceIgnore) -> Kustomization | None:
    """The file to build for `folder`, or None when its own file builds unchanged."""
    own = kustomization_file(folder)
    if own is not None and not needs_overlay(spec):
        return None
    listed: tuple[str, ...] = ()
    if own is not None:
        config = _load(own)
        if not config.get("resources"):
            config.setdefault("buildMetadata", ["originAnnotations"])  # kustomize: "empty"
    else:
        resources = scan_manifests(folder, root, ignore)
        listed = tuple(resources)
        config = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization"}
        if resources:
            config["resources"] = resources
        else:
            config["namespace"] = "_placeholder"  # what the controller writes for "empty"
    merged = overlay(config, spec, folder)
    return Kustomization(yaml.safe_dump(merged, sort_keys=False), own is None, listed)
