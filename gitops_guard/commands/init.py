"""`gitops-guard init`: a starter .gitops-guard.yaml from what the repo holds, the pre-commit
hook added to .pre-commit-config.yaml (comments kept), and the CI workflow snippet."""
from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import Any

from gitops_guard.commands import add_command
from gitops_guard.commands.init_argo import argo_roots
from gitops_guard.commands.init_flux import flux_clusters
from gitops_guard.config import CONFIG_NAME
from gitops_guard.discover import find_root
from gitops_guard.errors import ConfigError, UsageError
from gitops_guard.load.datafiles import KUSTOMIZATION_FILES

HOOK_REPO = "https://github.com/gitops-guard/gitops-guard"
ENV_PARENTS = frozenset({"clusters", "overlays", "environments", "envs"})
# What the written snippets install: no release of gitops-guard is tagged yet, so they
# name the branch that exists; pin a commit SHA of it for a reproducible hook.
RELEASE_REF = "main"

WORKFLOW = """\
# .github/workflows/gitops-guard.yaml
name: gitops-guard
on: pull_request
permissions:
  contents: read
  pull-requests: write      # the sticky plan comment
  security-events: write    # SARIF upload to code scanning
jobs:
  guard:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: {fetch-depth: 0}
      - uses: gitops-guard/gitops-guard@main  # no release is tagged yet: pin a commit SHA
        with:
          comment: github
          sarif: gitops-guard.sarif
      - uses: github/codeql-action/upload-sarif@v3
        if: always()
        with: {sarif_file: gitops-guard.sarif}
"""


def _skip(path: Path, root: Path) -> bool:
    return any(part.startswith(".") or part == "node_modules"
               for part in path.relative_to(root).parts)


def _add(found: dict[str, str], folder: Path, root: Path) -> None:
    name = folder.stem if folder.is_file() else folder.name  # a root Application file
    context = folder.parent if folder.is_file() else folder.parent.parent
    env = name if name not in found else f"{context.name}-{name}"
    found.setdefault(env, folder.relative_to(root).as_posix())


def find_environments(root: Path) -> dict[str, str]:
    """name -> path of each Flux cluster dir (init_flux.py), each Argo CD app-of-apps root
    (init_argo.py), then each Kustomize dir directly under clusters/, overlays/ and the like."""
    found: dict[str, str] = {}
    for cluster in flux_clusters(root, lambda path: _skip(path, root)):
        _add(found, cluster, root)
    clusters = [root / p for p in found.values()]
    for app_root in argo_roots(root, lambda path: _skip(path, root)):
        if not any(c == app_root or c in app_root.parents for c in clusters):
            _add(found, app_root, root)
    claimed = set(found.values())
    for name in KUSTOMIZATION_FILES:
        for kfile in sorted(root.rglob(name)):
            folder = kfile.parent
            if _skip(folder, root) or folder.parent.name not in ENV_PARENTS or \
                    folder.relative_to(root).as_posix() in claimed:
                continue
            _add(found, folder, root)
    return found


def find_charts(root: Path) -> list[str]:
    return sorted(p.parent.relative_to(root).as_posix() for p in root.rglob("Chart.yaml")
                  if not _skip(p.parent, root))


def starter_config(root: Path) -> str:
    envs = find_environments(root)
    charts = find_charts(root)
    lines = [
        "# gitops-guard configuration: https://github.com/gitops-guard/gitops-guard#configuration",
        'kubernetes_version: "1.32"',
        "strict: true",
        'include: ["**/*.yaml", "**/*.yml", "**/*.json"]',
        'exclude: ["**/templates/**"]  # Helm templates are checked through their rendered output',
        "fail_on: error",
    ]
    if envs:
        lines.append("environments:")
        for name, path in envs.items():
            lines += [f"  {name}:", f"    path: {path}"]
    if charts:
        lines.append("# Helm charts found: " + ", ".join(charts))
    return "\n".join(lines) + "\n"


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def add_hook(path: Path) -> bool:
    """Add the hook to .pre-commit-config.yaml, keeping its comments. False if present."""
    yaml = _yaml()
    if path.exists():
        try:
            data = yaml.load(path.read_text(encoding="utf-8"))
        except Exception as exc:  # ruamel raises many types; all mean the same to the user
            raise ConfigError(f"{path.name}: cannot parse: {exc}") from None
    else:
        data = None
    if data is None:
        from ruamel.yaml.comments import CommentedMap

        data = CommentedMap()
    repos = data.setdefault("repos", [])
    if not isinstance(repos, list):
        raise ConfigError(f"{path.name}: `repos` is not a list")
    for repo in repos:
        if isinstance(repo, dict) and any(
                isinstance(h, dict) and h.get("id") == "gitops-guard"
                for h in repo.get("hooks", [])):
            return False
    repos.append({"repo": HOOK_REPO, "rev": RELEASE_REF,
                  "hooks": [{"id": "gitops-guard"}]})
    out = io.StringIO()
    yaml.dump(data, out)
    path.write_text(out.getvalue(), encoding="utf-8")
    return True


def cmd_init(args: argparse.Namespace) -> int:
    root = find_root(Path.cwd())
    config = root / CONFIG_NAME
    if config.exists() and not args.force:
        raise UsageError(f"{CONFIG_NAME} already exists; use --force to overwrite it")
    config.write_text(starter_config(root), encoding="utf-8")
    print(f"wrote {CONFIG_NAME}")
    if not args.no_pre_commit:
        hook_file = root / ".pre-commit-config.yaml"
        changed = add_hook(hook_file)
        print(f"{'added the gitops-guard hook to' if changed else 'kept'} {hook_file.name}")
    if args.shards:
        _write_fleet_workflow(root, args.shards, args.force)
        return 0
    print("\nAdd this workflow to run gitops-guard on every pull request:\n", file=sys.stdout)
    print(WORKFLOW)
    return 0


def _write_fleet_workflow(root: Path, shards: int, force: bool) -> None:
    """`init --shards N`: the sharded GitHub workflow written, the GitLab one printed."""
    from gitops_guard.fleet.workflows import github_workflow, gitlab_pipeline

    path = root / ".github" / "workflows" / "gitops-guard.yaml"
    shown = path.relative_to(root).as_posix()
    if path.exists() and not force:
        print(f"kept {shown} (use --force to replace it with the sharded workflow)")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(github_workflow(RELEASE_REF, shards), encoding="utf-8")
        print(f"wrote {shown}: up to {shards} shards, merged into one check and comment")
    print(f"\nOn GitLab, the same in .gitlab-ci.yml:\n\n{gitlab_pipeline(RELEASE_REF, shards)}")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(sub, "init")
    p.add_argument("--force", action="store_true", help=f"overwrite an existing {CONFIG_NAME}")
    p.add_argument("--no-pre-commit", action="store_true",
                   help="leave .pre-commit-config.yaml alone")
    p.add_argument("--shards", type=_shards, default=0, metavar="N",
                   help="write the CI workflow that splits the PR check into up to N "
                        "parallel jobs and merges them (docs/fleet.md)")
    p.set_defaults(func=cmd_init)


def _shards(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 256:
        raise argparse.ArgumentTypeError(f"{text!r}: a number of shards, 1 to 256")
    return int(text)
