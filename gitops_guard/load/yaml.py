"""Multi-document YAML at libyaml speed, keeping the position of every key and item.

libyaml composes the node tree (C) with the tags of load/yaml_loader.py; the conversion
of load/yaml_convert.py turns each document into plain values (bounded: depth, alias
expansion) and a compact position index; this module drives the two per file, bounds the
number of documents and the bytes an alias can expand to (yaml_budget.py), turns YAML
errors into located findings, and parses again with the Python composer a file that
defines an anchor twice (yaml_anchors.py).
"""
from __future__ import annotations

from typing import TypeVar

import yaml

from gitops_guard.load.base import (
    INVALID_SYNTAX,
    LIMIT_EXCEEDED,
    LoadLimits,
    LoadResult,
    cap_duplicates,
    decode_text,
    load_finding,
)
from gitops_guard.load.kube import documents_from_value
from gitops_guard.load.yaml_anchors import is_duplicate_anchor
from gitops_guard.load.yaml_budget import Budget, TooLarge, may_expand
from gitops_guard.load.yaml_convert import Converter, LimitExceeded
from gitops_guard.load.yaml_errors import reader_finding, syntax_finding
from gitops_guard.load.yaml_loader import AnchorsRedefinedLoader, Loader

_T = TypeVar("_T")


def _same(value: _T) -> _T:
    return value


def load_yaml(data: bytes, path: str, limits: LoadLimits) -> LoadResult:
    text = decode_text(data, path, limits)
    if not isinstance(text, str):
        return LoadResult(findings=[text])
    try:
        return _load_text(text, path, limits, Loader)
    except _DuplicateAnchor:
        try:
            return _load_text(text, path, limits, AnchorsRedefinedLoader)
        except RecursionError:  # the Python composer recurses per level; libyaml's does not
            return LoadResult(findings=[load_finding(
                LIMIT_EXCEEDED, "nested too deeply to load in a file that redefines an "
                "anchor; not loaded", path, 1, 1)])


class _DuplicateAnchor(Exception):
    """libyaml refused an anchor defined twice: parse again with the Python composer."""


def _load_text(text: str, path: str, limits: LoadLimits, loader_type: type[Loader],
               ) -> LoadResult:
    result = LoadResult()
    loader = loader_type(text)
    converter = Converter(path, limits)
    budget = Budget(limits, count_nodes=False) if may_expand(text) else None
    index = 0
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                break
            if index >= limits.max_documents:
                result.findings.append(load_finding(
                    LIMIT_EXCEEDED, f"more than {limits.max_documents:,} documents; the rest "
                    "were not loaded", path, node.start_mark.line + 1, 1))
                break
            try:
                value, positions = converter.convert(node)  # nodes bounded (shared values)
                if budget is not None:  # then bytes, as each later stage expands them
                    budget.spend(node)
            except (LimitExceeded, TooLarge) as exc:
                mark = exc.node.start_mark
                result.findings.append(load_finding(
                    LIMIT_EXCEEDED, f"document {index + 1}: {exc}; not loaded", path,
                    mark.line + 1, mark.column + 1))
                index += 1
                continue
            except RecursionError:
                mark = node.start_mark
                result.findings.append(load_finding(
                    LIMIT_EXCEEDED, f"document {index + 1}: nested too deeply; not loaded",
                    path, mark.line + 1, mark.column + 1))
                index += 1
                continue
            del node  # only the compact index outlives the document's node tree
            result.documents.extend(documents_from_value(
                value, positions, _same, path, index, "yaml", result.findings))
            index += 1
    except yaml.MarkedYAMLError as exc:
        if loader_type is Loader and is_duplicate_anchor(exc):
            raise _DuplicateAnchor from None
        result.findings.append(syntax_finding(exc, path, text))
    except yaml.reader.ReaderError as exc:
        # A control character past the first 8 KiB that decode_text scans for NULs: the
        # error has only a character offset, so locate it here (it used to be line 0).
        result.findings.append(reader_finding(exc, path, text))
    except yaml.YAMLError as exc:  # other errors without a mark
        result.findings.append(load_finding(INVALID_SYNTAX, f"invalid YAML: {exc}", path))
    finally:
        loader.dispose()
    result.findings.extend(converter.findings)
    result.findings = cap_duplicates(result.findings, path, converter.duplicates)
    return result
