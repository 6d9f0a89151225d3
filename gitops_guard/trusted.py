"""`--trusted-ref`: the rules that judge a change come from a trusted ref, never the change.

Written from git objects of the trusted ref into a temporary tree, never read from the PR
head: the config file (so every key that judges: `builtin`, `ignore`, `suppressions`,
`fail_on`, `timeouts`, `limits`, ...), the `policies:` and `data:` it names, its
`custom_schemas` files, and the files the command line names inside the repository
(`-p/--policy`, `-d/--data`, `--baseline`, `--schema-location`, `--config`). A flag naming
a repo file the trusted ref does not have is refused (exit 2): the PR cannot add its own.
Paths outside the repository (the runner's own policy checkout) are the workflow
author's and are read as given. What is checked stays the working tree's.
"""
from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from gitops_guard.config import CONFIG_NAME, Config, load_config
from gitops_guard.errors import UsageError
from gitops_guard.plan.gittree import tree_at


def _in_repo(path: str, root: Path) -> str | None:
    """`path` (as given, relative to the cwd) relative to `root`, None when outside."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root.absolute()).as_posix()
    except ValueError:
        try:
            return absolute.relative_to(root.resolve()).as_posix()
        except ValueError:
            return None


class Pinned:
    """Maps repo paths to the trusted tree."""

    def __init__(self, ref: str, root: Path, tree: Path) -> None:
        self.ref, self.root, self.tree = ref, root, tree

    def path(self, flag: str, path: str) -> str:
        rel = _in_repo(path, self.root)
        if rel is None:
            return path  # not PR content: the workflow's own file
        pinned = self.tree / rel
        if not (pinned.exists() or pinned.is_symlink()):
            raise UsageError(f"{flag} {path}: not in the trusted ref {self.ref}; under "
                             "--trusted-ref it is read from there, never from the change")
        return str(pinned)

    def location(self, location: str) -> str:
        """A --schema-location: a dir, or a path template (`{{ .ResourceKind }}` ...)."""
        if "://" in location:
            return location
        head, brace, tail = location.partition("{")
        rel = _in_repo(head or ".", self.root)
        if rel is None:
            return location
        return str(self.tree / rel) + ("/" if head.endswith("/") else "") + brace + tail \
            if brace else self.path("--schema-location", location)


def pin_flags(args: argparse.Namespace, pinned: Pinned) -> argparse.Namespace:
    """`args` with every judging file it names read from the trusted tree."""
    changes: dict[str, object] = {}
    for flag, attr in (("-p/--policy", "policy"), ("-d/--data", "data")):
        if getattr(args, attr, None):
            changes[attr] = [pinned.path(flag, p) for p in getattr(args, attr)]
    if getattr(args, "baseline", None):
        changes["baseline"] = pinned.path("--baseline", args.baseline)
    if getattr(args, "schema_location", None):
        changes["schema_location"] = [pinned.location(s) for s in args.schema_location]
    return argparse.Namespace(**{**vars(args), **changes})


def _pinned_config(config: Config, tree: Path) -> Config:
    policy = replace(config.policy, paths=tuple(str(tree / p) for p in config.policy.paths),
                     data=tuple(str(tree / p) for p in config.policy.data))
    custom = tuple((files, schema if os.path.isabs(schema) else str(tree / schema))
                   for files, schema in config.custom_schemas)
    return replace(config, policy=policy, custom_schemas=custom)


@contextlib.contextmanager
def trusted_run(ref: str, root: Path, config_file: str | None = None
                ) -> Iterator[tuple[Config, Pinned]]:
    """The config as of `ref` (its judging paths pointing into that ref) and the mapper
    for command-line paths. The config's root stays the working tree."""
    with tree_at(ref, root) as tree:
        pinned = Pinned(ref, root, tree)
        rel = _in_repo(config_file, root) if config_file else CONFIG_NAME
        if config_file and rel is None:
            path: Path | None = Path(config_file)
        else:
            candidate = tree / str(rel)
            path = candidate if candidate.is_file() else None
            if config_file and path is None:
                raise UsageError(f"--config {config_file}: not in the trusted ref {ref}")
        trusted = _pinned_config(load_config(path, tree), tree)
        # Everything else (what is checked, the CRDs and schema dirs that describe the
        # resources) is the working tree's: only the judging rules are pinned.
        yield replace(trusted, root=root), pinned


@contextlib.contextmanager
def trusted_config(ref: str, root: Path) -> Iterator[Config]:
    """The config as of `ref`, its `policies:` and `data:` paths pointing into that ref."""
    with trusted_run(ref, root) as (config, _):
        yield config
