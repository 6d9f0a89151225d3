"""Kustomize: build overlays as Flux's kustomize-controller does, keeping origins.

Origin annotations need `buildMetadata: [originAnnotations]` in the kustomization
being built, and the user's files are never modified. So the build runs on a
one-line wrapper kustomization in a fresh temp dir whose only resource is the
target directory (by relative path: kustomize refuses absolute roots). A
directory resource is a kustomization root of its own, so the load restrictor
still applies to the user's kustomizations exactly as without the wrapper.
Origin paths come back relative to the wrapper and are mapped to repo paths.
"""
from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from gitops_guard.load.base import LoadLimits
from gitops_guard.load.datafiles import KUSTOMIZATION_FILES, kustomization_file
from gitops_guard.load.yaml import load_yaml
from gitops_guard.model import Finding
from gitops_guard.render.bounded import limit_finding
from gitops_guard.render.expansion import expansion_findings
from gitops_guard.render.findings import (
    timeout_finding,
)
from gitops_guard.render.graph import is_remote
from gitops_guard.render.kustomize_errors import build_error, outside_refused, remote_refused
from gitops_guard.render.sources import (
    PATCH_INLINE,
    PATCH_JSON6902,
    PATCH_SMP,
    PatchRef,
    Rendered,
    SourceFiles,
)
from gitops_guard.render.tools import kustomize_command, run_tool
from gitops_guard.scratch import make_scratch

ORIGIN = "config.kubernetes.io/origin"
TRANSFORMATIONS = ("alpha.config.kubernetes.io/transformations",
                   "config.kubernetes.io/transformations")
PATCH_TRANSFORMERS = frozenset({"PatchTransformer", "PatchStrategicMergeTransformer",
                                "PatchJson6902Transformer"})



def kustomize_build(target: str, root: Path, env: str | None,
                    outside: Sequence[tuple[str, str]], load_restrictor_none: bool = False,
                    kustomization: str | None = None, *, limits: LoadLimits | None = None
                    ) -> tuple[list[Rendered], list[Finding]]:
    """Build `target` (dir relative to `root`); resources with their source files, or a finding.

    `outside` lists the (kustomization file, reference) pairs under `target` that leave
    the repository (graph.outside_references); any of them refuses the build. With
    `kustomization`, `target` is built as if its kustomization file held that text (what
    kustomize-controller and Argo CD's repo-server do): in a shadow tree of links to the
    repository's files, so nothing the user wrote is modified. `limits` (the config's
    `load_limits`; the defaults when None) bound the alias expansion of the files
    kustomize would read (GG122).
    """
    remote = [(where, ref) for where, ref in outside if is_remote(ref)]
    if remote:
        return [], [remote_refused(remote, env)]
    if outside:
        return [], [outside_refused(outside, env)]
    expands = expansion_findings(target, root, env, limits or LoadLimits())
    if expands:
        return [], expands
    argv = kustomize_command()
    wrapper = make_scratch("kustomize")
    shadow = _shadow(root, target, kustomization, copy_target=not load_restrictor_none) \
        if kustomization is not None else None
    absolute = ((shadow or root) / target).resolve()
    try:
        relative = os.path.relpath(absolute, wrapper)
        (wrapper / "kustomization.yaml").write_text(
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
            f"resources:\n  - {relative}\n"
            "buildMetadata: [originAnnotations, transformerAnnotations]\n", encoding="utf-8")
        if load_restrictor_none:
            argv += ["--load-restrictor", "LoadRestrictionsNone"]
        run = run_tool([*argv, str(wrapper)])
        real = (root / target).resolve()
        if run.timed_out:
            where = kustomization_file(real)
            shown = where.relative_to(root).as_posix() if where and where.is_relative_to(
                root) else target
            return [], [timeout_finding("kustomize", target, run.seconds, shown, env)]
        if run.over_limit:
            return [], [limit_finding("kustomize", target, target, env)]
        if run.returncode != 0:
            stderr = run.stderr.replace(f"{shadow}/", "") if shadow else run.stderr
            return [], [build_error(stderr, str(wrapper), real, target, root, env,
                                        relative)]
        loaded = load_yaml(run.stdout.encode(), target, LoadLimits(max_file_bytes=1 << 30))
        if loaded.findings:
            return [], loaded.findings
        files = SourceFiles(root)
        paths = _Paths(wrapper, root, shadow)
        return [_rendered(doc.data, paths, files) for doc in loaded.documents], []
    finally:
        shutil.rmtree(wrapper, ignore_errors=True)
        if shadow is not None:
            shutil.rmtree(shadow, ignore_errors=True)


def _shadow(root: Path, target: str, kustomization: str, copy_target: bool = False) -> Path:
    """A tree of links that reads like `root`, except `target`'s kustomization file.

    Only the directories from the top down to `target` are real; every other entry is a
    link to the repository's own. Kustomize reports origins by the paths it was given,
    so a resource's origin inside the shadow maps back to the same path in `root`.
    With `copy_target` (kustomize's root-only load restrictor, Argo CD's default), the
    files under `target` are copies: the restrictor refuses a file that is a link out of
    the kustomization root, while a linked directory (`../base`) is a root of its own.
    """
    shadow = make_scratch("kshadow")
    real, fake = root, shadow
    parts = [p for p in target.split("/") if p not in ("", ".")]
    for depth in range(len(parts) + 1):
        step = parts[depth] if depth < len(parts) else None
        for entry in os.scandir(real):
            if entry.name == step or (step is None and entry.name in KUSTOMIZATION_FILES):
                continue
            if step is None and copy_target and entry.is_dir(follow_symlinks=False):
                shutil.copytree(entry.path, fake / entry.name, symlinks=True)
            elif step is None and copy_target and entry.is_file(follow_symlinks=False):
                shutil.copy2(entry.path, fake / entry.name)
            else:
                os.symlink(entry.path, fake / entry.name)
        if step is None:
            break
        real, fake = real / step, fake / step
        fake.mkdir()
    (fake / "kustomization.yaml").write_text(kustomization, encoding="utf-8")
    return shadow


@dataclass(frozen=True)
class _Paths:
    wrapper: Path  # kustomize reports origins relative to it
    root: Path
    shadow: Path | None  # a shadow tree standing for `root` (see _shadow)

    def repo_path(self, path: str) -> str:
        absolute = Path(os.path.normpath(self.wrapper / path))
        if self.shadow is not None and absolute.is_relative_to(self.shadow):
            absolute = self.root.resolve() / absolute.relative_to(self.shadow)
        try:
            return absolute.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return ""


def _strip(data: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(origin, transformations) taken out of the resource's annotations."""
    meta = data.get("metadata")
    annotations = meta.get("annotations") if isinstance(meta, dict) else None
    if not isinstance(annotations, dict):
        return {}, []
    origin = _parse(annotations.pop(ORIGIN, None))
    transformations: list[dict[str, Any]] = []
    for key in TRANSFORMATIONS:
        parsed = _parse(annotations.pop(key, None))
        if isinstance(parsed, list):
            transformations.extend(t for t in parsed if isinstance(t, dict))
    if not annotations and isinstance(meta, dict):
        del meta["annotations"]
    return origin if isinstance(origin, dict) else {}, transformations


_ANNOTATION_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(text: Any) -> Any:
    if not isinstance(text, str):
        return None
    try:  # one per object: the C loader when PyYAML has it
        return yaml.load(text, Loader=_ANNOTATION_LOADER)
    except yaml.YAMLError:
        return None


def _rendered(data: Any, paths: _Paths, files: SourceFiles) -> Rendered:
    if not isinstance(data, dict):
        return Rendered(data)
    origin, transformations = _strip(data)
    kind, name = _kind_name(data)
    source, source_doc, line = "", None, 1
    if isinstance(origin.get("path"), str) and "repo" not in origin:
        source = paths.repo_path(origin["path"])
        source_doc = _match_document(files, source, kind, name) if source else None
    elif isinstance(origin.get("configuredIn"), str):  # generated: point at the generator
        source = paths.repo_path(origin["configuredIn"])
    patch_in: list[str] = []
    for t in transformations:
        by = t.get("configuredBy")
        where = t.get("configuredIn")
        if isinstance(by, dict) and by.get("kind") in PATCH_TRANSFORMERS and isinstance(
                where, str):
            path = paths.repo_path(where)
            if path and path not in patch_in:
                patch_in.append(path)
    # Kustomize lists inner kustomizations first; `patches` keeps that order (applied last = last).
    patches = tuple(ref for k in reversed(patch_in) for ref in _patches(files, k, kind, name))
    return Rendered(data, source, source_doc, line, patches)


def _kind_name(data: dict[str, Any]) -> tuple[str, str]:
    meta = data.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    return str(data.get("kind", "")), name if isinstance(name, str) else ""


def _name_matches(wanted: str | None, rendered: str, regex: bool = False) -> bool:
    if not wanted:
        return True
    if regex:
        try:
            return re.fullmatch(wanted, rendered) is not None or wanted in rendered
        except re.error:
            return wanted == rendered
    # namePrefix / nameSuffix of outer overlays change the name after the patch applied
    return wanted == rendered or wanted in rendered


def _match_document(files: SourceFiles, path: str, kind: str, name: str) -> int | None:
    docs = [d for d in files.documents(path) if isinstance(d.data, dict)
            and d.data.get("kind") == kind]
    for doc in docs:
        if _name_matches(_kind_name(doc.data)[1], name):
            return doc.index
    return docs[0].index if docs else None


def _patches(files: SourceFiles, kustomization: str, kind: str, name: str) -> Iterator[PatchRef]:
    """Patches of one kustomization file that target the resource `kind`/`name`, in order."""
    docs = files.documents(kustomization)
    config = docs[0].data if docs and isinstance(docs[0].data, dict) else {}
    folder = os.path.dirname(kustomization)
    for entry in config.get("patchesStrategicMerge") or ():
        if isinstance(entry, str) and "\n" not in entry:
            yield from _smp_refs(files, os.path.normpath(os.path.join(folder, entry)), kind, name)
    for key in ("patches", "patchesJson6902"):
        for i, entry in enumerate(config.get(key) or ()):
            if not isinstance(entry, dict) or not _target_matches(entry.get("target"), kind, name):
                continue
            if isinstance(entry.get("path"), str):
                path = os.path.normpath(os.path.join(folder, entry["path"]))
                loaded = files.documents(path)
                if loaded and isinstance(loaded[0].data, list):
                    yield PatchRef(path, PATCH_JSON6902)
                elif entry.get("target"):
                    yield from (PatchRef(path, PATCH_SMP, d.index) for d in loaded)
                else:
                    yield from _smp_refs(files, path, kind, name)
            elif isinstance(entry.get("patch"), str):
                inline = _parse(entry["patch"])
                if isinstance(inline, dict) and not entry.get("target") and not (
                        inline.get("kind") == kind
                        and _name_matches(_kind_name(inline)[1], name)):
                    continue
                yield PatchRef(kustomization, PATCH_INLINE, 0, (key, i, "patch"))


def _smp_refs(files: SourceFiles, path: str, kind: str, name: str) -> Iterator[PatchRef]:
    for doc in files.documents(path):
        if isinstance(doc.data, dict) and doc.data.get("kind") == kind and _name_matches(
                _kind_name(doc.data)[1], name):
            yield PatchRef(path, PATCH_SMP, doc.index)


def _target_matches(target: Any, kind: str, name: str) -> bool:
    if not isinstance(target, dict):
        return True
    if target.get("kind") and target["kind"] != kind:
        return False
    return _name_matches(target.get("name"), name, regex=True)
