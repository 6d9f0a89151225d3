"""Python policies: load `.py` files that define `Rule`s (running them: python_run.py).

Each file is executed as its own module (unique name, nothing added to sys.path);
every `Rule` bound at module level is collected. A file that does not compile, fails
to import, raises while importing, or defines no rule is a `PolicyLoadError` (exit 2)
naming the file and line. Loading runs silenced (see sandbox.py).
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from gitops_guard.errors import GuardError
from gitops_guard.evaluate.api import Rule
from gitops_guard.evaluate.sandbox import DEFAULT_TIMEOUT, PolicyTimeout, Watchdog, silenced

SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "__pycache__"})


class PolicyLoadError(GuardError):
    """A Python policy file that cannot be loaded."""


@dataclass(frozen=True)
class LoadedRule:
    """A rule plus where it came from: `origin` is "python" (user) or "builtin"."""

    rule: Rule
    origin: str = "python"
    filename: str = ""  # the absolute file its function was compiled from

    @property
    def source(self) -> str:
        return f"{self.origin}:{self.rule.source_file}"


def find_python_files(paths: Sequence[str]) -> list[tuple[Path, str]]:
    """(absolute, shown) of every policy .py under `paths`.

    Named files are always taken. In dirs (walked recursively) files starting with `_`
    and test files (`test_*.py`, `*_test.py`) are skipped: they are helpers, not policies.
    """
    found: dict[Path, str] = {}
    for given in paths:
        root = Path(given)
        if root.is_file():
            if root.suffix == ".py":
                found.setdefault(root.resolve(), given)
            continue
        if not root.is_dir():
            raise PolicyLoadError(f"{given}: policy path not found")
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
            for name in sorted(files):
                if (name.endswith(".py") and not name.startswith(("_", "test_"))
                        and not name.endswith("_test.py")):
                    full = Path(folder, name)
                    found.setdefault(full.resolve(), full.as_posix())
    return sorted(found.items(), key=lambda item: item[1])


def _module_name(path: Path) -> str:
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:12]
    stem = "".join(c if c.isalnum() else "_" for c in path.stem)
    return f"_gitops_guard_policy_{digest}_{stem}"


def line_in(exc: BaseException, filename: str) -> int:
    """The deepest traceback line inside `filename` (0 when it is not on the stack)."""
    line = 0
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename and frame.lineno:
            line = frame.lineno
    return line


def describe_exception(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _execute(spec: Any, module: Any, path: Path, shown: str, filename: str,
             cache_bytecode: bool) -> None:
    if cache_bytecode:
        spec.loader.exec_module(module)
        return
    try:
        source = path.read_bytes()
    except OSError as exc:
        raise PolicyLoadError(f"{shown}: cannot read: {exc.strerror}") from None
    exec(compile(source, filename, "exec"), module.__dict__)


def load_policy_file(path: Path, shown: str, origin: str = "python",
                     cache_bytecode: bool = False,
                     timeout: float = DEFAULT_TIMEOUT) -> list[LoadedRule]:
    """The rules defined in one policy file, `source_file` set to `shown`.

    User policies are compiled from source so that no `__pycache__` is written into the
    repository; the built-in library (`cache_bytecode=True`) uses the import system's cache.
    """
    filename = str(path)
    name = _module_name(path)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:  # pragma: no cover - .py always has a loader
        raise PolicyLoadError(f"{shown}: not a loadable Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and typing look their module up here
    try:
        watchdog = Watchdog(timeout)
        with silenced(), watchdog.installed():
            watchdog.active = True
            try:
                _execute(spec, module, path, shown, filename, cache_bytecode)
            finally:
                watchdog.active = False
    except PolicyLoadError:
        sys.modules.pop(name, None)
        raise
    except SyntaxError as exc:
        sys.modules.pop(name, None)
        where = f"{shown}:{exc.lineno or 0}" if exc.filename in (filename, None) else (
            f"{shown}:{line_in(exc, filename)}: in {exc.filename}:{exc.lineno}")
        raise PolicyLoadError(
            f"{where}: invalid Python policy: {exc.msg}") from None
    except PolicyTimeout as exc:
        sys.modules.pop(name, None)
        raise PolicyLoadError(f"{shown}:{line_in(exc, filename)}: cannot load Python policy: "
                              f"its top level did not finish: {exc}") from None
    except (Exception, SystemExit) as exc:  # anything its top level raises, exit() included
        sys.modules.pop(name, None)
        raise PolicyLoadError(f"{shown}:{line_in(exc, filename)}: cannot load Python "
                              f"policy: {describe_exception(exc)}") from None
    rules: list[LoadedRule] = []
    seen: set[int] = set()
    for value in vars(module).values():
        if isinstance(value, Rule) and id(value) not in seen:
            seen.add(id(value))
            code = getattr(value.func, "__code__", None)
            rules.append(LoadedRule(replace(value, source_file=shown), origin,
                                    code.co_filename if code is not None else filename))
    if not rules:
        raise PolicyLoadError(f"{shown}: defines no rule (decorate a function with "
                              "@rule from gitops_guard.evaluate.api)")
    return rules


def register(registry: dict[str, LoadedRule], loaded: Iterable[LoadedRule]) -> None:
    """Add rules to an id -> rule registry; the same id twice is an error naming both files."""
    for item in loaded:
        other = registry.get(item.rule.id)
        if other is not None:
            raise PolicyLoadError(
                f"rule id {item.rule.id} is defined twice: in {other.rule.source_file} "
                f"and in {item.rule.source_file}")
        registry[item.rule.id] = item


def load_python_policies(paths: Sequence[str], root: Path | None = None,
                         timeout: float = DEFAULT_TIMEOUT) -> dict[str, LoadedRule]:
    """Every rule under `paths` (files or dirs), shown relative to `root` when inside it."""
    registry: dict[str, LoadedRule] = {}
    for absolute, given in find_python_files(paths):
        shown = given
        if root is not None:
            try:
                shown = absolute.relative_to(root.resolve()).as_posix()
            except ValueError:
                shown = given
        register(registry, load_policy_file(absolute, shown, timeout=timeout))
    return registry
