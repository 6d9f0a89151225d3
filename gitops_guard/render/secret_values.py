"""Secret values a tool's error must not carry into a finding.

What the run knows to be secret, and where each is scrubbed:
- the values of the secret-named variables of the environment (runner_env.withheld:
  `GITHUB_TOKEN`, `*PASSWORD*`, ...): from the stderr of every tool (`run_tool`), even
  where the variables are withheld from the tool (`ci`), since a tool may be handed
  one another way;
- kustomize quotes what it failed on: `invalid literal source [DB_PASSWORD-x API_TOKEN=y]`
  prints every literal of a secretGenerator, valid ones included. Before its stderr
  becomes a GG101 message, every value a `secretGenerator` in the repository names (its
  `literals`, and the lines of its `envs` / `files`) is replaced by `<redacted>`;
- Helm quotes values (`{{ fail (toString .Values) }}`, `required`, a YAML error in the
  output): every string under a secret-named key of the values a chart renders with
  (the user's and the chart's `values.yaml`) is scrubbed from GG102 messages.
Only read on the failure path, so a clean build costs nothing.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from gitops_guard.runner_env import secret_values as secret_values_of_environment
from gitops_guard.secrets_shape import SECRET_NAME

REDACTED = "<redacted>"
MAX_FILES = 5_000  # kustomization files looked at (a failure in a huge repo stays fast)
MIN_LENGTH = 3  # shorter values ("1", "on") would redact ordinary words


def _kustomizations(root: Path, names: Sequence[str]) -> Iterator[Path]:
    seen = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name in names:
                seen += 1
                if seen > MAX_FILES:
                    return
                yield Path(dirpath, name)


def _generator_values(entry: dict[str, Any], folder: Path, root: Path) -> Iterator[str]:
    for literal in entry.get("literals") or ():
        if isinstance(literal, str):
            yield literal
            yield literal.partition("=")[2]
    for source in (*(entry.get("envs") or ()), *(entry.get("files") or ()),
                   *([entry["env"]] if isinstance(entry.get("env"), str) else [])):
        if not isinstance(source, str):
            continue
        path = (folder / source.partition("=")[2 if "=" in source else 0]).resolve()
        if not path.is_relative_to(root.resolve()) or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="replace")[:1 << 20]
        except OSError:
            continue
        for line in text.splitlines():
            yield line.strip()
            yield line.partition("=")[2].strip()


def secret_values(root: Path, names: Sequence[str]) -> set[str]:
    """Every value a secretGenerator of the repository at `root` names (in the
    kustomization files called `names`)."""
    values: set[str] = set()
    for file in _kustomizations(root, names):
        try:
            doc = yaml.safe_load(file.read_bytes())
        except (OSError, yaml.YAMLError, ValueError):
            continue
        for entry in (doc.get("secretGenerator") or ()) if isinstance(doc, dict) else ():
            if isinstance(entry, dict):
                values.update(v for v in _generator_values(entry, file.parent, root)
                              if len(v) >= MIN_LENGTH)
    known = environment_secrets()  # run_tool scrubbed those first: match what is left
    return values | {scrub(v, known) for v in values} if known else values


def scrub(text: str, values: set[str]) -> str:
    """`text` with each of `values` (longest first) replaced by <redacted>."""
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, REDACTED)
    return text


def environment_secrets() -> set[str]:
    """The values of the secret-named variables of the environment, withheld ones too."""
    return secret_values_of_environment()


def secret_leaves(values: Any, under_secret: bool = False) -> set[str]:
    """Every string (or number) under a secret-named key of Helm `values`, at any depth."""
    found: set[str] = set()
    if isinstance(values, Mapping):
        for key, value in values.items():
            found |= secret_leaves(value, under_secret or bool(SECRET_NAME.search(str(key))))
    elif isinstance(values, list):
        for value in values:
            found |= secret_leaves(value, under_secret)
    elif under_secret and isinstance(values, (str, int, float)) and not isinstance(values, bool):
        text = str(values)
        if len(text) >= MIN_LENGTH:
            found.add(text)
    return found


def scrub_all(text: str, *groups: Iterable[str]) -> str:
    """scrub() with the union of `groups`."""
    values: set[str] = set()
    for group in groups:
        values.update(group)
    return scrub(text, values) if values else text
