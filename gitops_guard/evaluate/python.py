"""Python policies: load `.py` files that define `Rule`s, and run those rules over documents.

Loading: each file is executed as its own module (unique name, nothing added to
sys.path); every `Rule` bound at module level is collected. A file that does not
compile, fails to import, raises while importing, or defines no rule is a
`PolicyLoadError` (exit 2) naming the file and line.

Running: a document-scope rule is called once per Kubernetes document whose kind it
applies to (`kinds=("*",)` also reaches non-Kubernetes documents: Terraform, plain
YAML or JSON data); a `scope="all"` rule is called once with every document. A rule
that raises while evaluating does not stop the run: it becomes one GG040 error
finding per rule, at the first document it failed on, naming the rule, its file and
line, and how many documents it failed on. Its exception text is kept for debugging,
but any string value of the documents it ran on is masked out of it (`*** (masked)`),
since the exception may quote a Secret.

Bounded: each call of a rule may take `timeout_seconds` (config
`timeouts.policy_seconds`). A watchdog (SIGALRM every fraction of the limit, installed
once per run, so a call costs two attribute writes) raises `PolicyTimeout` inside the
rule that overran; the rule is reported as a GG040 finding naming it and the document
it hung on, and is not called again in this run. Limits, documented in
docs/security.md: the watchdog needs the main thread of a POSIX process (elsewhere
rules run unbounded), and it cannot interrupt one long call into C code (a single
catastrophic regex) nor a rule that swallows BaseException in a loop.

Silent: whatever a policy prints while loading or evaluating (print, sys.stdout,
sys.__stdout__, os.write to fd 1 or 2, a child process) is dropped, so a policy cannot
write into a report or leak a value into the CI log.
"""
from __future__ import annotations

import base64
import contextlib
import hashlib
import importlib.util
import io
import os
import signal
import sys
import traceback
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import FrameType
from typing import Any

from gitops_guard.errors import GuardError
from gitops_guard.evaluate.api import Rule, RuleContext, Violation
from gitops_guard.model import Document, Finding, Location, Severity, format_path

POLICY_ERROR = "GG040"
SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "__pycache__"})
DEFAULT_TIMEOUT = 30.0
MASK = "*** (masked)"


class PolicyTimeout(BaseException):
    """Raised inside a rule that ran longer than its limit (BaseException: a rule's
    `except Exception` does not swallow it)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"timed out after {seconds:g}s")
        self.seconds = seconds


class _Sink(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)

    def writable(self) -> bool:
        return True


@contextlib.contextmanager
def silenced() -> Iterator[None]:
    """Drop every byte written to stdout / stderr in the block, at the Python and fd level."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    saved: list[tuple[int, int]] = []
    devnull = -1
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        for fd in (1, 2):
            with contextlib.suppress(OSError):
                saved.append((fd, os.dup(fd)))
                os.dup2(devnull, fd)
    except OSError:
        pass
    sink = _Sink()
    old = sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__
    sys.stdout = sys.stderr = sys.__stdout__ = sys.__stderr__ = sink  # type: ignore[misc,assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__ = old  # type: ignore[misc]
        for fd, copy in saved:
            with contextlib.suppress(OSError):
                os.dup2(copy, fd)
            os.close(copy)
        if devnull >= 0:
            os.close(devnull)


class _Watchdog:
    """One SIGALRM ticker for a whole run: raises PolicyTimeout in a call that overran."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.interval = max(0.01, min(1.0, seconds / 8))
        self.call = 0  # bumped before every rule call
        self.active = False  # a rule is running
        self._seen = -1
        self._ticks = 0

    def _tick(self, signum: int, frame: FrameType | None) -> None:
        if not self.active:
            return
        if self._seen != self.call:
            self._seen, self._ticks = self.call, 0
        self._ticks += 1
        if self._ticks * self.interval >= self.seconds:
            self._ticks = 0
            raise PolicyTimeout(self.seconds)

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        try:
            previous = signal.signal(signal.SIGALRM, self._tick)
        except (ValueError, AttributeError):  # not the main thread, or no SIGALRM
            yield
            return
        old_timer = signal.setitimer(signal.ITIMER_REAL, self.interval, self.interval)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            if old_timer[0]:
                signal.setitimer(signal.ITIMER_REAL, *old_timer)


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


def _line_in(exc: BaseException, filename: str) -> int:
    """The deepest traceback line inside `filename` (0 when it is not on the stack)."""
    line = 0
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename and frame.lineno:
            line = frame.lineno
    return line


def _describe(exc: BaseException) -> str:
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
        watchdog = _Watchdog(timeout)
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
            f"{shown}:{_line_in(exc, filename)}: in {exc.filename}:{exc.lineno}")
        raise PolicyLoadError(
            f"{where}: invalid Python policy: {exc.msg}") from None
    except PolicyTimeout as exc:
        sys.modules.pop(name, None)
        raise PolicyLoadError(f"{shown}:{_line_in(exc, filename)}: cannot load Python policy: "
                              f"its top level did not finish: {exc}") from None
    except (Exception, SystemExit) as exc:  # anything its top level raises, exit() included
        sys.modules.pop(name, None)
        raise PolicyLoadError(f"{shown}:{_line_in(exc, filename)}: cannot load Python "
                              f"policy: {_describe(exc)}") from None
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


# --- evaluation -------------------------------------------------------------------------


@dataclass
class _Failure:
    document: Document | None
    exc: BaseException
    count: int = 1


def _violations(result: Any) -> list[Violation]:
    if result is None:
        return []
    out: list[Violation] = []
    for item in result:
        if isinstance(item, Violation):
            out.append(item)
        elif isinstance(item, str):
            out.append(Violation(item))
        else:
            raise TypeError(f"a rule must yield Violation or str, not {type(item).__name__}")
    return out


def _severity(value: Any, default: Severity) -> Severity:
    if value is None:
        return default
    return value if isinstance(value, Severity) else Severity.parse(str(value))


def _finding(loaded: LoadedRule, violation: Violation, doc: Document | None) -> Finding:
    rule = loaded.rule
    path = tuple(violation.path)
    for elem in path:
        if not isinstance(elem, (str, int)):
            raise TypeError(f"path elements must be str or int, not {type(elem).__name__}")
    location = doc.locate(path) if doc is not None else Location(rule.source_file)
    return Finding(
        rule_id=rule.id,
        severity=_severity(violation.severity, rule.severity),
        message=violation.message,
        location=location,
        resource=doc.resource if doc is not None else None,
        source=loaded.source,
        env=doc.env if doc is not None else None,
        field_path=format_path(path),
        doc_url=rule.doc_url,
    )


def _strings(value: Any, out: set[str], budget: list[int]) -> None:
    if budget[0] <= 0:
        return
    budget[0] -= 1
    if isinstance(value, str):
        if len(value) >= 4:
            out.add(value)
    elif isinstance(value, Mapping):
        for item in value.values():
            _strings(item, out, budget)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _strings(item, out, budget)


def mask_values(text: str, documents: Iterable[Document]) -> str:
    """`text` with every string value (4+ characters) of `documents` masked out, the
    decoded `data` of Secrets included."""
    values: set[str] = set()
    budget = [200_000]
    for doc in documents:
        _strings(doc.data, values, budget)
        data = doc.data.get("data") if isinstance(doc.data, Mapping) and doc.data.get(
            "kind") == "Secret" else None
        if isinstance(data, Mapping):
            for encoded in data.values():
                with contextlib.suppress(ValueError, TypeError):
                    plain = base64.b64decode(str(encoded), validate=True).decode(
                        "utf-8", "replace")
                    _strings(plain, values, budget)
    for value in sorted(values, key=len, reverse=True):
        if value in text:
            text = text.replace(value, MASK)
    return text


def _error_finding(loaded: LoadedRule, failure: _Failure,
                   documents: Sequence[Document]) -> Finding:
    rule, doc = loaded.rule, failure.document
    line = _line_in(failure.exc, loaded.filename)
    where = f"{rule.source_file}:{line}" if line else rule.source_file
    more = f" (it failed on {failure.count} documents)" if failure.count > 1 else ""
    if isinstance(failure.exc, PolicyTimeout):
        what = f"timed out after {failure.exc.seconds:g}s (config timeouts.policy_seconds)"
        more = "; it was not run again"
    else:
        seen = [doc] if doc is not None else documents
        what = "raised " + mask_values(_describe(failure.exc), seen)
    return Finding(
        rule_id=POLICY_ERROR,
        severity=Severity.ERROR,
        message=f"policy {rule.id} ({where}) {what}{more}; this rule's results are incomplete",
        location=doc.locate() if doc is not None else Location(rule.source_file, line),
        resource=doc.resource if doc is not None else None,
        source=loaded.source,
        env=doc.env if doc is not None else None,
    )


def _dispatch(rules: Iterable[LoadedRule]) -> tuple[dict[str, list[LoadedRule]],
                                                    list[LoadedRule], list[LoadedRule]]:
    by_kind: dict[str, list[LoadedRule]] = {}
    any_kube: list[LoadedRule] = []  # kinds=(): every Kubernetes document
    everything: list[LoadedRule] = []  # "*" in kinds: every document at all
    for loaded in rules:
        kinds = loaded.rule.kinds
        if "*" in kinds:
            everything.append(loaded)
        elif not kinds:
            any_kube.append(loaded)
        else:
            for kind in kinds:
                by_kind.setdefault(kind, []).append(loaded)
    return by_kind, any_kube, everything


def run_rules(rules: Iterable[LoadedRule], documents: Sequence[Document],
              options: Mapping[str, Any], kubernetes_version: str,
              timeout: float = DEFAULT_TIMEOUT) -> list[Finding]:
    """Findings of `rules` over `documents`; exceptions and timeouts become GG040 findings."""
    watchdog = _Watchdog(timeout)
    with silenced(), watchdog.installed():
        return _run_rules(list(rules), documents, options, kubernetes_version, watchdog)


def _run_rules(rules: list[LoadedRule], documents: Sequence[Document],
               options: Mapping[str, Any], kubernetes_version: str,
               watchdog: _Watchdog) -> list[Finding]:
    ctx = RuleContext(options=options, kubernetes_version=kubernetes_version)
    findings: list[Finding] = []
    failures: dict[str, tuple[LoadedRule, _Failure]] = {}
    stopped: set[str] = set()  # rules that timed out: not called again

    def fail(loaded: LoadedRule, doc: Document | None, exc: BaseException) -> None:
        if isinstance(exc, PolicyTimeout):
            stopped.add(loaded.rule.id)
            failures[loaded.rule.id] = (loaded, _Failure(doc, exc))
            return
        known = failures.get(loaded.rule.id)
        if known is None:
            failures[loaded.rule.id] = (loaded, _Failure(doc, exc))
        else:
            known[1].count += 1

    def call(loaded: LoadedRule, arg: Any) -> list[Violation]:
        watchdog.call += 1
        watchdog.active = True
        try:
            return _violations(loaded.rule.func(arg, ctx))
        finally:
            watchdog.active = False

    by_kind, any_kube, everything = _dispatch(r for r in rules if r.rule.scope != "all")
    for doc in documents:
        if doc.is_kubernetes:
            applicable = [*by_kind.get(doc.data["kind"], ()), *any_kube, *everything]
        else:
            applicable = everything
        for loaded in applicable:
            if stopped and loaded.rule.id in stopped:
                continue
            try:
                findings.extend(_finding(loaded, v, doc) for v in call(loaded, doc.data))
            except (Exception, SystemExit, PolicyTimeout) as exc:  # a broken rule must not
                fail(loaded, doc, exc)  # stop the run
    every = list(documents)
    for loaded in (r for r in rules if r.rule.scope == "all"):
        try:
            findings.extend(_finding(loaded, v, v.document) for v in call(loaded, every))
        except (Exception, SystemExit, PolicyTimeout) as exc:
            fail(loaded, None, exc)
    findings.extend(_error_finding(loaded, failure, every)
                    for loaded, failure in failures.values())
    return findings
