"""GG122: a file kustomize would read that expands past the load limits is found before
kustomize runs (a billion-laughs file never reaches it)."""
from __future__ import annotations

from pathlib import Path

from gitops_guard.load.base import LoadLimits
from gitops_guard.render.expansion import expansion_findings

LAUGHS = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: lol}
data:
  a: &a "lololololololololololololololol"
  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
  e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
"""
SMALL = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\ndata:\n  a: &x v\n  b: *x\n"
LIMITS = LoadLimits(max_expanded_nodes=5_000)


def repo(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def test_a_file_that_expands_too_far_is_gg122_at_its_line(tmp_path: Path) -> None:
    root = repo(tmp_path, {"app/kustomization.yaml": "resources: [../base]\n",
                           "base/kustomization.yaml": "resources: [lol.yaml, ok.yaml]\n",
                           "base/lol.yaml": LAUGHS, "base/ok.yaml": SMALL})
    [finding] = expansion_findings("app", root, "prod", LIMITS)
    assert (finding.rule_id, finding.location.path, finding.env) == (
        "GG122", "base/lol.yaml", "prod")
    assert finding.location.line > 1
    assert finding.message.startswith("kustomize build of app refused: base/lol.yaml: ")


def test_files_kustomize_does_not_read_and_small_aliases_pass(tmp_path: Path) -> None:
    root = repo(tmp_path, {"app/kustomization.yaml": "resources: [ok.yaml]\n",
                           "app/ok.yaml": SMALL, "unused/lol.yaml": LAUGHS})
    assert expansion_findings("app", root, None, LIMITS) == []
    assert expansion_findings("unused", root, None, LoadLimits()) == []  # within the default
