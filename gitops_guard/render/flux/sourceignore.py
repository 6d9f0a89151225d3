"""Files a Flux GitRepository artifact leaves out (source-controller's sourceignore).

source-controller packs the repository without: VCS files, images and archives, CI
configuration, `.sops.yaml` and the like (its built-in patterns), anything matched
by a `.sourceignore` file (gitignore syntax, scoped to the file's directory), and the
GitRepository's own `spec.ignore`. kustomize-controller never sees those files, so
its generator does not list them.
"""
from __future__ import annotations

from pathlib import Path

import pathspec

IGNORE_FILE = ".sourceignore"
DEFAULT_PATTERNS = (
    # VCS
    ".git/", ".gitignore", ".gitmodules", ".gitattributes",
    # images and archives
    "*.jpg", "*.jpeg", "*.gif", "*.png", "*.wmv", "*.flv", "*.tar.gz", "*.zip",
    # CI
    ".github/", ".circleci/", ".travis.yml", ".gitlab-ci.yml", "appveyor.yml", ".drone.yml",
    "cloudbuild.yaml", "codeship-services.yml", "codeship-steps.yml",
    # extra
    "**/.goreleaser.yml", "**/.sops.yaml", "**/.flux.yaml",
)


def _spec(lines: list[str]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(
        line for line in lines if line.strip() and not line.startswith("#"))


class SourceIgnore:
    """`ignored(rel)` for repo-relative paths of one source tree."""

    def __init__(self, root: Path, extra: str = "") -> None:
        self._root = root
        self._top = _spec([*DEFAULT_PATTERNS, *extra.splitlines()])
        self._scoped: dict[str, pathspec.GitIgnoreSpec | None] = {}

    def _in(self, folder: str) -> pathspec.GitIgnoreSpec | None:
        if folder not in self._scoped:
            try:
                text = (self._root / folder / IGNORE_FILE).read_text(encoding="utf-8",
                                                                      errors="replace")
            except OSError:
                self._scoped[folder] = None
            else:
                self._scoped[folder] = _spec(text.splitlines())
        return self._scoped[folder]

    def ignored(self, rel: str, is_dir: bool = False) -> bool:
        shown = rel + "/" if is_dir else rel
        if self._top.match_file(shown):
            return True
        parts = rel.split("/")
        for depth in range(len(parts)):
            folder = "/".join(parts[:depth]) or "."
            spec = self._in(folder)
            if spec is not None and spec.match_file("/".join(parts[depth:]) + (
                    "/" if is_dir else "")):
                return True
        return False
