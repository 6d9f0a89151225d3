"""Credentials for an HTTP chart repository, from Helm's own repository config.

`$HELM_REPOSITORY_CONFIG`, else `$HELM_CONFIG_HOME/repositories.yaml`, else
`~/.config/helm/repositories.yaml` (what `helm repo add --username` writes): the entry
whose `url` is the repository's. OCI registries use Helm's registry config through the
registry client itself (`helm registry login`). Credentials go to the fetch process on
its stdin, never on a command line, and never into any output.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import yaml

from gitops_guard.render.charts.cache import normalize_url


class Credentials(NamedTuple):
    username: str
    password: str


def repository_config() -> Path:
    explicit = os.environ.get("HELM_REPOSITORY_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    home = os.environ.get("HELM_CONFIG_HOME") or str(
        Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "helm")
    return Path(home) / "repositories.yaml"


def http_credentials(url: str, config: Path | None = None) -> Credentials | None:
    path = config or repository_config()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    entries = data.get("repositories") if isinstance(data, dict) else None
    for entry in entries if isinstance(entries, list) else ():
        if isinstance(entry, dict) and normalize_url(str(entry.get("url", ""))) == \
                normalize_url(url) and entry.get("username"):
            return Credentials(str(entry["username"]), str(entry.get("password") or ""))
    return None
