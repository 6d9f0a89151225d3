"""One file's load result as plain values (for marshal), and back.

The on-disk load cache stores these. marshal, not pickle: an entry holds only
dicts, lists, tuples, strings, numbers and bytes, so a tampered cache file can fail
to decode but cannot run code. Results whose positions are not plain (HCL) are not
encoded: `encode` returns None and the file is simply parsed each run.
"""
from __future__ import annotations

from array import array
from typing import Any

from gitops_guard.load.json import LazyJsonPositions
from gitops_guard.load.kube import SubPositions
from gitops_guard.load.yaml_index import YamlPositions
from gitops_guard.model import Document, Finding, Location, Positions, ResourceKey, Severity

FORMAT = 1  # bump when the encoding changes

Plain = Any  # a tree of dict / list / tuple / str / int / float / bytes / None


class DecodeError(ValueError):
    """The entry is not what this version wrote: ignore it."""


def _positions(positions: Positions) -> Plain | None:
    if type(positions) is YamlPositions:
        root, first, count, marks, keys, child = positions.state()
        return ("y", root, first.tobytes(), count.tobytes(), marks.tobytes(), tuple(keys),
                child.tobytes())
    if type(positions) is SubPositions:
        parent, prefix = positions.state()
        inner = _positions(parent)
        return None if inner is None else ("s", inner, prefix)
    if type(positions) is LazyJsonPositions:
        return ("j", positions.text)
    return None


def _array(code: str, raw: bytes) -> array[int]:
    out = array(code)
    out.frombytes(raw)
    return out


def _from_positions(plain: Plain) -> Positions:
    tag = plain[0]
    if tag == "y":
        _, root, first, count, marks, keys, child = plain
        return YamlPositions(root, _array("q", first), _array("q", count), _array("Q", marks),
                             keys, _array("q", child))
    if tag == "s":
        return SubPositions(_from_positions(plain[1]), tuple(plain[2]))
    if tag == "j":
        return LazyJsonPositions(plain[1])
    raise DecodeError(f"unknown positions {tag!r}")


def _finding(f: Finding) -> Plain | None:
    if f.metadata:
        return None
    res = tuple(f.resource) if f.resource is not None else None
    return (f.rule_id, int(f.severity), f.message, tuple(f.location), res, f.source, f.env,
            f.field_path, f.doc_url)


def _from_finding(p: Plain) -> Finding:
    rule, severity, message, loc, res, source, env, field_path, doc_url = p
    return Finding(rule, Severity(severity), message, Location(*loc),
                   ResourceKey(*res) if res is not None else None, source, env, field_path,
                   doc_url)


def encode(documents: list[Document], findings: list[Finding], text: str | None
           ) -> Plain | None:
    """The plain form of one file's result, or None when some part is not plain."""
    docs = []
    for doc in documents:
        positions = _positions(doc.positions)
        if positions is None:
            return None
        docs.append((doc.path, doc.index, doc.data, positions, doc.line, doc.source_format,
                     doc.env))
    found = [_finding(f) for f in findings]
    if any(f is None for f in found):
        return None
    return (FORMAT, docs, found, text)


def decode(plain: Plain) -> tuple[list[Document], list[Finding], str | None]:
    try:
        version, docs, found, text = plain
        if version != FORMAT:
            raise DecodeError("other format")
        documents = [Document(path, index, data, _from_positions(pos), line, fmt, env)
                     for path, index, data, pos, line, fmt, env in docs]
        return documents, [_from_finding(f) for f in found], text
    except DecodeError:
        raise
    except (TypeError, ValueError, IndexError, KeyError) as exc:
        raise DecodeError(str(exc)) from None
