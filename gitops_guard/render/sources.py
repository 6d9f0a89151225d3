"""Where a rendered resource came from, kept serializable, and turned into located Documents.

A rendered resource is described by a `Rendered`: its data, the repo file that
produced it (Kustomize origin annotation, Helm `# Source:`), and the patches that
may have changed it. `to_documents` loads those files again (libyaml, cheap) so
each Document's `locate(field)` answers with the patch file and line when a
patch set that field, else the line in the source file.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gitops_guard.load import load_bytes
from gitops_guard.model import Document, FieldPath, FixedPositions, Location, PathElem

PATCH_SMP = "smp"          # a strategic-merge patch document in a file
PATCH_JSON6902 = "json6902"  # a JSON 6902 op list in a file
PATCH_INLINE = "inline"    # `patch: |` inside a kustomization file


@dataclass(frozen=True)
class PatchRef:
    file: str  # repo-relative
    kind: str  # PATCH_SMP | PATCH_JSON6902 | PATCH_INLINE
    doc: int = 0  # document index inside `file` (SMP)
    key: tuple[PathElem, ...] = ()  # field path of the entry inside `file` (inline)

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "kind": self.kind, "doc": self.doc, "key": list(self.key)}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> PatchRef:
        return cls(raw["file"], raw["kind"], raw["doc"], tuple(raw["key"]))


@dataclass(frozen=True)
class Rendered:
    data: Any
    source: str = ""  # repo-relative file that produced it ("" = unknown)
    source_doc: int | None = None  # document index in `source` (None: generated)
    line: int = 1  # where to point when the resource has no document of its own
    patches: tuple[PatchRef, ...] = ()
    cluster: str = ""  # the remote cluster a Flux `spec.kubeConfig` sends it to ("": this one)

    def to_json(self) -> dict[str, Any]:
        return {"data": self.data, "source": self.source, "source_doc": self.source_doc,
                "line": self.line, "patches": [p.to_json() for p in self.patches],
                "cluster": self.cluster}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Rendered:
        return cls(raw["data"], raw["source"], raw["source_doc"], raw["line"],
                   tuple(PatchRef.from_json(p) for p in raw["patches"]),
                   raw.get("cluster", ""))


@dataclass(frozen=True)
class Override:
    """One patch: the fields it sets, located in the patch file."""

    document: Document  # the patch as loaded from its file
    prefix: FieldPath  # where the patch's data sits in the resource ((): SMP at the root)
    anchor: FieldPath = ()  # where the patch's data sits inside `document`

    def locate(self, rendered: Any, path: Sequence[PathElem]) -> Location | None:
        """The patch's location for `path` when the patch sets that field, else None."""
        if tuple(path[: len(self.prefix)]) != self.prefix:
            return None
        here_r: Any = rendered
        for elem in self.prefix:
            here_r = _child(here_r, elem)
        here_p: Any = self.document.data
        for elem in self.anchor:
            here_p = _child(here_p, elem)
        walked: list[PathElem] = list(self.anchor)
        for elem in path[len(self.prefix):]:
            if isinstance(here_p, dict) and isinstance(elem, str) and elem in here_p:
                walked.append(elem)
                here_p, here_r = here_p[elem], _child(here_r, elem)
            elif isinstance(here_p, list) and isinstance(elem, int):
                index = _matching_item(here_p, _child(here_r, elem), elem)
                if index is None:
                    return None
                walked.append(index)
                here_p, here_r = here_p[index], _child(here_r, elem)
            else:
                return None
        return self.document.locate(tuple(walked))


def _child(value: Any, elem: PathElem) -> Any:
    if isinstance(value, dict) and isinstance(elem, str):
        return value.get(elem)
    if isinstance(value, list) and isinstance(elem, int) and 0 <= elem < len(value):
        return value[elem]
    return None


def _matching_item(items: list[Any], rendered_item: Any, index: int) -> int | None:
    """The patch list item merged into `rendered_item`: same `name` (merge key), else same index."""
    if isinstance(rendered_item, dict) and "name" in rendered_item:
        for i, item in enumerate(items):
            if isinstance(item, dict) and item.get("name") == rendered_item["name"]:
                return i
        return None
    return index if index < len(items) else None


@dataclass(frozen=True)
class RenderedDocument(Document):
    """A rendered resource: fields set by a patch are located in the patch file."""

    overrides: tuple[Override, ...] = field(default=(), compare=False, repr=False)

    def locate(self, path: Sequence[PathElem] = ()) -> Location:
        if path:
            for override in self.overrides:  # last applied first
                found = override.locate(self.data, path)
                if found is not None:
                    return found
        return super().locate(path)


class SourceFiles:
    """Repo files loaded once each, with positions."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._docs: dict[str, list[Document]] = {}

    def documents(self, path: str) -> list[Document]:
        if path not in self._docs:
            try:
                data = (self._root / path).read_bytes()
            except OSError:
                self._docs[path] = []
            else:
                self._docs[path] = load_bytes(data, path).documents
        return self._docs[path]

    def document(self, path: str, index: int) -> Document | None:
        for doc in self.documents(path):
            if doc.index == index:
                return doc
        return None


def _override(files: SourceFiles, ref: PatchRef) -> list[Override]:
    if ref.kind == PATCH_SMP:
        doc = files.document(ref.file, ref.doc)
        return [Override(doc, ())] if doc is not None else []
    doc = files.document(ref.file, 0)
    if doc is not None and ref.kind == PATCH_INLINE:
        doc = _inline(doc, ref)
        if doc is not None and not isinstance(doc.data, list):
            return [Override(doc, ())]
    if doc is None or not isinstance(doc.data, list):
        return []
    out: list[Override] = []
    for i, op in enumerate(doc.data):
        if isinstance(op, dict) and op.get("op") in ("add", "replace") and "value" in op:
            prefix = _pointer(str(op.get("path", "")))
            out.append(Override(doc, prefix, (i, "value")))
    return out


class _Shifted:
    """Positions of an inline patch: lines counted from the `patch: |` line."""

    def __init__(self, inner: Any, line: int, column: int) -> None:
        self._inner, self._line, self._column = inner, line, column

    def locate(self, path: Sequence[PathElem]) -> tuple[int, int]:
        line, column = self._inner.locate(path)
        return self._line + line, self._column + column


def _inline(doc: Document, ref: PatchRef) -> Document | None:
    text: Any = doc.data
    for elem in ref.key:
        text = _child(text, elem)
    if not isinstance(text, str):
        return None
    loaded = load_bytes(text.encode(), ref.file).documents
    if not loaded:
        return None
    line, column = doc.positions.locate(ref.key)
    return Document(ref.file, doc.index, loaded[0].data,
                    _Shifted(loaded[0].positions, line, column + 1), line)


def _pointer(pointer: str) -> FieldPath:
    out: list[PathElem] = []
    for part in pointer.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        out.append(int(part) if part.isdigit() else part)
    return tuple(out)


def to_documents(items: Sequence[Rendered], root: Path, env: str | None) -> list[Document]:
    files = SourceFiles(root)
    out: list[Document] = []
    for index, item in enumerate(items):
        source = files.document(item.source, item.source_doc) if (
            item.source and item.source_doc is not None) else None
        overrides = [o for ref in reversed(item.patches) for o in reversed(_override(files, ref))]
        if source is not None:
            positions, line = source.positions, source.line
        else:
            positions, line = FixedPositions(item.line, 1), item.line
        out.append(RenderedDocument(
            path=item.source or "<rendered>", index=index if source is None else source.index,
            data=item.data, positions=positions, line=line, source_format="rendered", env=env,
            overrides=tuple(overrides), cluster=item.cluster))
    return out


def as_dict(value: Any) -> dict[str, Any]:
    """`value` when it is a mapping, else an empty one (user YAML can hold anything)."""
    return value if isinstance(value, dict) else {}
