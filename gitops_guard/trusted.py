"""`--trusted-ref`: the rules that judge a change come from a trusted ref, never the change.

The config file, policy dirs and data files named by the trusted config are written from
git objects into a temporary dir; the checked files stay those of the working tree.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from gitops_guard.config import CONFIG_NAME, Config, load_config
from gitops_guard.plan.gittree import tree_at


@contextlib.contextmanager
def trusted_config(ref: str, root: Path) -> Iterator[Config]:
    """The config as of `ref`, its `policies:` and `data:` paths pointing into that ref."""
    with tree_at(ref, root) as tree:
        config_file = tree / CONFIG_NAME
        trusted = load_config(config_file if config_file.is_file() else None, tree)
        raw = dict(trusted.raw)
        for key in ("policies", "data"):
            if raw.get(key):
                raw[key] = [str(tree / p) for p in raw[key]]
        # Everything else (what is checked, schemas that describe the resources) is the
        # working tree's: only the judging rules are pinned.
        yield replace(trusted, root=root, path=trusted.path, raw=raw)
