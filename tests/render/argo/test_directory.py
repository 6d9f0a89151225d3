"""A `directory` source as the repo-server reads it: manifest files, recurse, include and
exclude globs, the skip marker, `kind: List` items, Jsonnet set apart."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gitops_guard.render.argo.directory import render_directory

FILES = {
    "app/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n",
    "app/svc.json": '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}}',
    "app/list.yml": ("apiVersion: v1\nkind: List\nitems:\n"
                     "  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n"
                     "  - {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n"),
    "app/skip.yaml": "# +argocd:skip-file-rendering\nkind: Secret\nmetadata: {name: s}\n",
    "app/notes.txt": "not a manifest",
    "app/lib.jsonnet": "{}",
    "app/sub/extra.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\n",
    "app/.git/config.yaml": "kind: Nope\n",
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def names(root: Path, directory: dict[str, Any]) -> list[str]:
    return sorted(str(i.data["metadata"]["name"]) + "@" + i.source
                  for i in render_directory("app", root, directory).items)


@pytest.mark.parametrize(("directory", "expected"), [
    ({}, ["a@app/list.yml", "b@app/list.yml", "web@app/deploy.yaml", "web@app/svc.json"]),
    ({"recurse": True}, ["a@app/list.yml", "b@app/list.yml", "extra@app/sub/extra.yaml",
                         "web@app/deploy.yaml", "web@app/svc.json"]),
    ({"recurse": True, "include": "*.yaml"}, ["extra@app/sub/extra.yaml",
                                              "web@app/deploy.yaml"]),  # '*' crosses '/'
    ({"recurse": True, "include": "{deploy,sub/*}.yaml", "exclude": "sub/*"},
     ["web@app/deploy.yaml"]),
])
def test_files_read_under_the_directory_options(
        root: Path, directory: dict[str, Any], expected: list[str]) -> None:
    assert names(root, directory) == expected


def test_jsonnet_is_set_apart_not_evaluated(root: Path) -> None:
    out = render_directory("app", root, {})
    assert out.jsonnet == ["app/lib.jsonnet"]
    assert out.findings == []


def test_a_file_that_does_not_parse_is_a_finding_at_the_file(root: Path) -> None:
    (root / "app" / "broken.yaml").write_text("kind: [\n")
    out = render_directory("app", root, {})
    assert [f.location.path for f in out.findings] == ["app/broken.yaml"]
