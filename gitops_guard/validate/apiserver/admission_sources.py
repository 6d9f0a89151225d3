"""ValidatingAdmissionPolicies (and bindings) kept with the policies: `-p DIR|FILE` and the
config's `policies:` hold them beside Rego and Python rules. Read from there they judge
the checked resources; they are not checked themselves (they are not being deployed)."""
from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from gitops_guard.load import load_bytes
from gitops_guard.model import Document
from gitops_guard.validate.apiserver.admission import GROUP

_SUFFIXES = (".yaml", ".yml", ".json")
_KINDS = frozenset({"ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"})
_MAX_BYTES = 4 << 20  # policy dirs hold policies: a bigger file is not one


def _files(paths: Sequence[str]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_file() and path.suffix in _SUFFIXES:
            yield path
        elif path.is_dir():
            for folder, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                yield from (Path(folder) / n for n in sorted(names) if n.endswith(_SUFFIXES))


def policy_documents(paths: Sequence[str]) -> list[Document]:
    """The admission policies and bindings in the policy paths; other files are skipped."""
    found: list[Document] = []
    for path in _files(paths):
        try:
            if path.stat().st_size > _MAX_BYTES:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        if b"admissionregistration.k8s.io" not in data:
            continue
        for doc in load_bytes(data, path.as_posix()).documents:
            key = doc.resource
            if key is not None and key.group == GROUP and key.kind in _KINDS:
                found.append(doc)
    return found
