"""Flux `ArtifactGenerator` (source.extensions.fluxcd.io): the ExternalArtifacts it makes.

source-watcher composes an ExternalArtifact from other sources with copy operations
(`from: "@alias/glob"`, `to: "@artifact/path"`), cp-like: a plain path copies that file
or directory; a glob copies each match (Go `fs.Glob`, one level per `*`, so `**` acts
as `*`), and `dir/**` copies the contents of `dir`; `exclude` globs (doublestar) apply
to the path and, without a `/`, to the file name; later operations overwrite earlier
ones. A Kustomization whose sourceRef is that ExternalArtifact reads the staged tree.
Sources must be this repository (sources.git_source). Not reproduced (the source is
not rendered, with the reason): `pathPattern`, `strategy: Extract`, sources of other
kinds; `strategy: Merge` overwrites instead of merging, with a note.
"""
from __future__ import annotations

import os
import posixpath
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gitops_guard.render.flux.sourceignore import SourceIgnore
from gitops_guard.render.flux.sources import SourceTree, git_source
from gitops_guard.render.resolve import Resolver, name_namespace, spec_of
from gitops_guard.render.sources import Rendered, as_dict

GROUP_KIND = ("source.extensions.fluxcd.io", "ArtifactGenerator")
_GLOB_CHARS = re.compile(r"[*?\[\]]")


class CopyError(ValueError):
    """source-watcher would fail this copy operation (and produce no artifact)."""


def paths(doc: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """The source dirs the copy operations read (taken as this repository: a superset)."""
    for artifact in as_dict(doc.get("spec")).get("artifacts") or ():
        for op in as_dict(artifact).get("copy") or ():
            source = str(as_dict(op).get("from", ""))
            if source.startswith("@") and "/" in source:
                yield selection_root(source.split("/", 1)[1]), ""


def render(resolver: Resolver, item: Rendered, depth: int) -> None:
    """Nothing is applied from it: Kustomizations read its artifacts (external_artifact)."""


def selection_root(pattern: str) -> str:
    """The literal prefix of a glob pattern, before its first glob segment."""
    parts: list[str] = []
    for part in posixpath.normpath(pattern).split("/"):
        if _GLOB_CHARS.search(part):
            break
        parts.append(part)
    return posixpath.join(*parts) if parts else "."


def _segment_regex(segment: str) -> str:
    out, i = [], 0
    while i < len(segment):
        c = segment[i]
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = segment.find("]", i + 1)
            if end < 0:
                raise CopyError(f"invalid glob pattern '{segment}'")
            body = segment[i + 1:end]
            out.append("[^" + body[1:] + "]" if body[:1] in ("!", "^") else f"[{body}]")
            i = end
        elif c == "{":
            end = segment.find("}", i)
            if end < 0:
                raise CopyError(f"invalid glob pattern '{segment}'")
            out.append("(?:" + "|".join(re.escape(a) for a in segment[i + 1:end].split(","))
                       + ")")
            i = end
        elif c == "\\" and i + 1 < len(segment):
            i += 1
            out.append(re.escape(segment[i]))
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def doublestar(pattern: str) -> re.Pattern[str]:
    """A doublestar glob (`**` = any number of path segments) as a regex."""
    parts = pattern.split("/")
    regex = ""
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            regex += ".*" if last else "(?:[^/]+/)*"
        else:
            regex += _segment_regex(part) + ("" if last else "/")
    return re.compile(regex, re.DOTALL)


def _excluded(rel: str, base: str, patterns: list[re.Pattern[str]], simple: list[bool]) -> bool:
    def matches(path: str) -> bool:
        name = posixpath.basename(path)
        return any(p.fullmatch(path) or (s and p.fullmatch(name))
                   for p, s in zip(patterns, simple, strict=True))

    if matches(rel):
        return True
    if base in ("", "."):
        return False
    inner = posixpath.relpath(rel, base)
    return not inner.startswith("..") and inner not in (".", rel) and matches(inner)


def _glob(root: Path, pattern: str) -> list[str]:
    """Go's fs.Glob: each segment matched within one directory level."""
    found = [""]
    for segment in pattern.split("/"):
        regex = re.compile(_segment_regex(segment), re.DOTALL)
        nxt: list[str] = []
        for base in found:
            folder = root / base if base else root
            if not _GLOB_CHARS.search(segment):
                if (folder / segment).exists():
                    nxt.append(posixpath.join(base, segment) if base else segment)
                continue
            if folder.is_dir() and not folder.is_symlink():
                nxt.extend(posixpath.join(base, e) if base else e
                           for e in sorted(os.listdir(folder)) if regex.fullmatch(e))
        found = nxt
    return found


class _Stage:
    def __init__(self, staging: Path, exclude: list[str]) -> None:
        self.staging = staging
        self.files: dict[str, tuple[Path, str]] = {}  # staged path -> (tree, tree path)
        self.patterns = [doublestar(p) for p in exclude]
        self.simple = ["/" not in p for p in exclude]

    def copy(self, tree: Path, ignore: SourceIgnore, src: str, dest: str, base: str) -> None:
        absolute = tree / src
        if absolute.is_dir():
            for dirpath, dirnames, filenames in os.walk(absolute):
                here = Path(dirpath).relative_to(tree).as_posix()
                dirnames[:] = sorted(d for d in dirnames if not _excluded(
                    posixpath.join(here, d), base, self.patterns, self.simple)
                    and not ignore.ignored(posixpath.join(here, d), True))
                for name in sorted(filenames):
                    rel = posixpath.join(here, name)
                    if not _excluded(rel, base, self.patterns, self.simple):
                        self.copy(tree, ignore, rel, posixpath.join(
                            dest, posixpath.relpath(rel, src)), base)
            return
        if ignore.ignored(src) or not absolute.is_file():
            return
        target = self.staging / dest
        if not target.resolve().is_relative_to(self.staging.resolve()):
            raise CopyError(f"destination '{dest}' leaves the artifact")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(absolute, target)
        self.files[posixpath.normpath(dest)] = (tree, src)


def _apply(stage: _Stage, op: dict[str, Any], sources: dict[str, tuple[SourceTree, SourceIgnore]]
           ) -> None:
    source, dest_spec = str(op.get("from", "")), str(op.get("to", ""))
    if not source.startswith("@") or "/" not in source:
        raise CopyError(f"invalid copy source '{source}'")
    if not dest_spec.startswith("@artifact/"):
        raise CopyError(f"invalid copy destination '{dest_spec}'")
    alias, pattern = source[1:].split("/", 1)
    dest = dest_spec.removeprefix("@artifact/")
    if alias not in sources:
        raise CopyError(f"source alias '{alias}' not found")
    tree, ignore = sources[alias][0].root, sources[alias][1]
    if not _GLOB_CHARS.search(pattern):
        src = posixpath.normpath(pattern)
        if not (tree / src).exists() or src.startswith(".."):
            raise CopyError(f"source '{src}' does not exist")
        if (tree / src).is_dir():
            stage.copy(tree, ignore, src, posixpath.join(dest, posixpath.basename(src)), src)
        elif dest_spec.endswith("/") or (stage.staging / dest).is_dir():
            stage.copy(tree, ignore, src, posixpath.join(dest, posixpath.basename(src)), ".")
        else:
            stage.copy(tree, ignore, src, dest or posixpath.basename(src), ".")
        return
    base = selection_root(pattern)
    matches = [m for m in _glob(tree, pattern) if m not in (".", "..")]
    if not matches:
        raise CopyError(f"no files match pattern '{pattern}' in source '{alias}'")
    kept = [m for m in matches if not _excluded(m, base, stage.patterns, stage.simple)]
    if not kept:
        raise CopyError(f"all files matching pattern '{pattern}' in source '{alias}' were "
                        "excluded")
    prefix = pattern[:-3] + "/" if pattern.endswith("/**") else None
    for match in kept:
        inner = match[len(prefix):] if prefix and match.startswith(prefix) else match
        stage.copy(tree, ignore, match, posixpath.join(dest, inner), base)


def external_artifact(resolver: Resolver, item: Rendered, ref: dict[str, Any],
                      namespace: str) -> SourceTree | str:
    """The tree of the ExternalArtifact `ref` names, staged as source-watcher builds it."""
    name = str(ref.get("name", ""))
    namespace = str(ref.get("namespace") or namespace)
    for found in resolver.items:
        data = found.data
        if not (isinstance(data, dict) and str(data.get("apiVersion", "")).startswith(
                GROUP_KIND[0] + "/") and data.get("kind") == GROUP_KIND[1]):
            continue
        if name_namespace(data)[1] not in ("", namespace):
            continue
        spec = spec_of(data)
        for artifact in spec.get("artifacts") or ():
            if isinstance(artifact, dict) and artifact.get("name") == name:
                return _stage(resolver, item, spec, artifact, name_namespace(data), name)
    return f"source ExternalArtifact/{name}: no ArtifactGenerator in the rendered " \
           "resources produces it"


def _stage(resolver: Resolver, item: Rendered, spec: dict[str, Any], artifact: dict[str, Any],
           generator: tuple[str, str], name: str) -> SourceTree | str:
    what = f"source ExternalArtifact/{name} (ArtifactGenerator {generator[0]})"
    if spec.get("pathPattern"):
        return f"{what}: spec.pathPattern is not reproduced"
    sources: dict[str, tuple[SourceTree, SourceIgnore]] = {}
    for ref in spec.get("sources") or ():
        ref = as_dict(ref)
        found = git_source(resolver, {"kind": ref.get("kind"), "name": ref.get("name"),
                                      "namespace": ref.get("namespace")}, generator[1])
        if isinstance(found, str):
            return f"{what}: {found}"
        sources[str(ref.get("alias", ""))] = (found, SourceIgnore(found.root, found.ignore))
    staging = resolver.trees.scratch("artifact")
    stage = _Stage(staging, [])
    for op in artifact.get("copy") or ():
        op = as_dict(op)
        strategy = op.get("strategy") or "Overwrite"
        if strategy == "Extract":
            return f"{what}: copy strategy Extract is not reproduced"
        if strategy == "Merge":
            resolver.note(item, f"{what}: copy strategy Merge overwrites here instead of "
                          "merging YAML")
        stage.patterns = [doublestar(str(p)) for p in op.get("exclude") or ()]
        stage.simple = ["/" not in str(p) for p in op.get("exclude") or ()]
        try:
            _apply(stage, op, sources)
        except CopyError as exc:
            return f"{what}: source-watcher would fail: {exc}"
    in_repo = {tree.root for tree, _ in sources.values() if tree.in_repo}
    files = {dest: src for dest, (tree, src) in stage.files.items() if tree in in_repo}
    return SourceTree(staging, False, f"ExternalArtifact {name}", files=files)
