"""A plain directory: its YAML and JSON files as they are, each document at its own file
and line; with a build, subdirectories that have a kustomization file are built instead."""
from __future__ import annotations

from pathlib import Path

from gitops_guard.model import Finding
from gitops_guard.render.plain import load_plain, plain_entries
from gitops_guard.render.sources import Rendered

FILES = {
    "apps/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n"
                   "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n",
    "apps/c.json": '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}',
    "apps/notes.md": "# not a manifest",
    "apps/.hidden.yaml": "kind: Secret\n",
    "apps/.git/x.yaml": "kind: Secret\n",
    "apps/sub/d.yml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\n",
    "apps/kz/kustomization.yaml": "resources: [e.yaml]\n",
    "apps/kz/e.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: e}\n",
}


def repo(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def test_entries_in_walk_order(tmp_path: Path) -> None:
    root = repo(tmp_path)
    assert plain_entries("apps", root) == [
        ("apps/a.yaml", False), ("apps/c.json", False), ("apps/kz/e.yaml", False),
        ("apps/kz/kustomization.yaml", False), ("apps/sub/d.yml", False)]
    assert plain_entries("apps", root, recursive=False) == [
        ("apps/a.yaml", False), ("apps/c.json", False)]
    assert plain_entries("apps", root, kustomize_subdirs=True) == [
        ("apps/a.yaml", False), ("apps/c.json", False), ("apps/kz", True),
        ("apps/sub/d.yml", False)]
    assert plain_entries("apps/a.yaml", root) == [("apps/a.yaml", False)]


def test_each_document_at_its_file_and_line(tmp_path: Path) -> None:
    items, findings = load_plain("apps", repo(tmp_path), recursive=False)
    assert findings == []
    assert [(i.data["metadata"]["name"], i.source, i.source_doc, i.line) for i in items] == [
        ("a", "apps/a.yaml", 0, 1), ("b", "apps/a.yaml", 1, 5), ("c", "apps/c.json", 0, 1)]


def test_kustomize_subdirs_are_built_by_the_callers_build(tmp_path: Path) -> None:
    built: list[str] = []

    def build(path: str) -> tuple[list[Rendered], list[Finding]]:
        built.append(path)
        return [Rendered({"kind": "Built"}, path)], []

    items, _ = load_plain("apps", repo(tmp_path), build=build)
    assert built == ["apps/kz"]
    assert [i.source for i in items] == ["apps/a.yaml", "apps/a.yaml", "apps/c.json",
                                         "apps/kz", "apps/sub/d.yml"]


def test_a_file_that_does_not_parse_is_a_finding(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("a: [\n")
    items, [finding] = load_plain(".", tmp_path)
    assert items == [] and finding.location.path == "bad.yaml"
