"""`check -` (gitops_guard/load/stdin.py): one stream from standard input, JSON when it
starts like JSON, else YAML; past the size limit it is counted, not loaded. The command's `-`:
tests/commands/test_check.py."""
from __future__ import annotations

import io

from gitops_guard.load.base import LoadLimits
from gitops_guard.load.stdin import STDIN_PATH, load_stdin

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\n"


def test_yaml_documents_from_the_stream() -> None:
    stream = io.BytesIO(((CM % "a") + "---\n" + (CM % "b")).encode())
    result = load_stdin(LoadLimits(), stream)
    assert [(d.path, d.data["metadata"]["name"], d.line) for d in result.documents] == \
        [(STDIN_PATH, "a", 1), (STDIN_PATH, "b", 5)]
    assert result.findings == [] and result.text is None


def test_json_is_read_as_json() -> None:
    stream = io.BytesIO(b'  {"apiVersion": "v1", "kind": "ConfigMap",\n'
                        b'   "metadata": {"name": "j"}}')
    [doc] = load_stdin(LoadLimits(), stream).documents
    assert doc.source_format == "json" and doc.data["metadata"]["name"] == "j"


def test_a_suppression_comment_keeps_the_text() -> None:
    text = (CM % "a") + "data: {x: 1}  # gitops-guard: ignore GG201 reason: test\n"
    assert load_stdin(LoadLimits(), io.BytesIO(text.encode())).text == text


def test_a_stream_past_the_size_limit_is_counted_not_loaded() -> None:
    limits = LoadLimits(max_file_bytes=100)
    result = load_stdin(limits, io.BytesIO(b"x" * 5000))
    assert result.documents == []
    [finding] = result.findings
    assert finding.rule_id == "GG004" and finding.location.path == STDIN_PATH
    assert finding.message.startswith("file is 5,000 bytes")
