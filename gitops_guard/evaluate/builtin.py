"""The built-in policy library: every `policies/gg*.py`, loaded like any user policy.

The built-ins dogfood the public API (gitops_guard.evaluate.api) and the same loader
as `--policy` files; this module only knows where they live and keeps the registry
(rule id -> rule) for the run. Two files declaring the same id is an error.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from gitops_guard.errors import ConfigError
from gitops_guard.evaluate.python import LoadedRule, load_policy_file, register
from gitops_guard.resources import data_dir


def builtin_dir() -> Path:
    return data_dir("policies")


def builtin_files(folder: Path | None = None) -> list[Path]:
    folder = builtin_dir() if folder is None else folder
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.py") if not p.name.startswith("_"))


def builtin_rules() -> dict[str, LoadedRule]:
    """id -> rule for the whole library, in id order (loaded once per process)."""
    return _load(builtin_dir())


@lru_cache(maxsize=4)
def _load(folder: Path) -> dict[str, LoadedRule]:
    registry: dict[str, LoadedRule] = {}
    for path in builtin_files(folder):
        register(registry, load_policy_file(path, f"policies/{path.name}", origin="builtin",
                                            cache_bytecode=True))
    return dict(sorted(registry.items()))


def enabled_rules(disabled: Iterable[str], known_elsewhere: Iterable[str] = (),
                  ) -> list[LoadedRule]:
    """The built-ins minus `disabled`; an id that names no rule at all is a ConfigError."""
    library = builtin_rules()
    off = set(disabled)
    unknown = sorted(off - set(library) - set(known_elsewhere))
    if unknown:
        raise ConfigError(f"builtin.disable: no rule {', '.join(unknown)} "
                          "(see `gitops-guard policies list`)")
    return [loaded for rule_id, loaded in library.items() if rule_id not in off]
