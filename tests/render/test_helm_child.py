"""The helm-python-sdk child's protocol, in process: a request in, manifests or Helm's
error out (the child process itself: test_helm_sdk.py)."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from gitops_guard.render import helm_child

# helm-python-sdk itself, not the helm binary: the extra gitops-guard[helm]
pytest.importorskip("helm_python", reason="needs the extra gitops-guard[helm]")


def chart(root: Path, template: str) -> str:
    (root / "c/templates").mkdir(parents=True)
    (root / "c/Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    (root / "c/templates/t.yaml").write_text(template)
    return str(root / "c")


def test_main_reads_a_request_and_writes_one_json_reply(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    request = {"chart": chart(tmp_path, "kind: ConfigMap\nmetadata: {name: {{ .Values.n }}}\n"),
               "release": "r", "namespace": "ns", "values": {"n": "from-values"}}
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(request)))
    assert helm_child.main() == 0
    reply = json.loads(capsys.readouterr().out)
    assert reply == {"manifests": {"c/templates/t.yaml": "kind: ConfigMap\n"
                                   "metadata: {name: from-values}\n"}, "crds": []}


def test_a_helm_error_is_a_reply_not_a_crash(tmp_path: Path) -> None:
    reply = helm_child.render({"chart": chart(tmp_path, "{{ .Values.a.b.c }}"), "release": "r",
                               "namespace": "ns", "values": {}})
    assert list(reply) == ["error"] and "nil pointer" in reply["error"]
