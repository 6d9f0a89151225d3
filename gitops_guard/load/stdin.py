"""`check -`: one stream of YAML or JSON from standard input (`kustomize build . | ...`)."""
from __future__ import annotations

import sys
from typing import BinaryIO

from gitops_guard.load import LOADERS
from gitops_guard.load.base import SUPPRESSION_MARKER, FileResult, LoadLimits, too_large

STDIN_ARG = "-"
STDIN_PATH = "<stdin>"  # how findings name it
_CHUNK = 1 << 20


def load_stdin(limits: LoadLimits, stream: BinaryIO | None = None) -> FileResult:
    """Read all of stdin (past the size limit only to count it) and load it: JSON when it
    starts like JSON, else YAML (multi-document)."""
    source = stream if stream is not None else sys.stdin.buffer
    data = source.read(limits.max_file_bytes + 1)
    if len(data) > limits.max_file_bytes:
        size = len(data) + sum(len(c) for c in iter(lambda: source.read(_CHUNK), b""))
        return FileResult([], [too_large(size, STDIN_PATH, limits)], None)
    fmt = "json" if data.lstrip()[:1] in (b"{", b"[") else "yaml"
    result = LOADERS[fmt](data, STDIN_PATH, limits)
    text = data.decode("utf-8", "replace") if SUPPRESSION_MARKER in data else None
    return FileResult(result.documents, result.findings, text)
