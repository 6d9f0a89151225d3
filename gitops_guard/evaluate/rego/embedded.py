"""The embedded engine: regorus in a forked child (contained.py), so a crash, a panic or
a runaway rule becomes a GG040 finding, not the end of the run. Policies and data are
loaded once per child; each input only swaps `input` on the prepared engine."""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from gitops_guard.evaluate.options import RegoOptions
from gitops_guard.evaluate.rego.builtins import register
from gitops_guard.evaluate.rego.contained import Failed, TaskError, run_contained
from gitops_guard.evaluate.rego.engine import (
    PolicySet,
    RawResult,
    data_ref,
    members,
    uses_conftest_file,
)
from gitops_guard.evaluate.rego.errors import (
    RegoError,
    RegoEvalError,
    clean_engine_message,
    syntax_error_from_regorus,
)
from gitops_guard.evaluate.rego.metadata_calls import MetadataIndex
from gitops_guard.evaluate.rego.rewrite import HELPER_MODULE, HELPER_PATH, rewrite
from gitops_guard.evaluate.rego.tree import rewrite_tree


def prepared_regorus(policies: PolicySet,
                     stage: Callable[[str], None] = lambda _: None) -> Any:
    """A regorus.Engine with every module and the data loaded (imported lazily);
    `stage(path)` is told each module before it is parsed."""
    import regorus

    engine = regorus.Engine()
    engine.set_rego_v0(policies.rego_version == "v0")
    # OPA has no line-length limit; regorus stops at 1,024 columns (generated policies)
    engine.set_policy_length_config(max_col=1 << 20, max_file_bytes=64 << 20,
                                    max_lines=1 << 22)
    register(engine, policies.rego_version, policies.extensions)
    engine.add_policy(HELPER_PATH, HELPER_MODULE)
    rules: dict[str, set[str]] = {}  # package -> its rules (`with NAME as`, tree/)
    for module in policies.modules:
        rules.setdefault(module.package, set()).update(
            r.name for r in module.rules if not r.is_function)
    metadata = MetadataIndex.build([(m.path, m.text) for m in policies.modules])
    for module in policies.modules:
        stage(module.path)
        try:
            text = rewrite(metadata.rewrite(module.path, module.text), policies.rego_version,
                           module.path)
            engine.add_policy(module.path, rewrite_tree(
                text, policies.rego_version, module.path, module.package,
                frozenset(rules[module.package])))
        except RuntimeError as exc:
            raise syntax_error_from_regorus(str(exc), module.path) from None
    if policies.data:
        stage("data")
        engine.add_data_json(json.dumps(policies.data))
    return engine


def engine_failure(exc: BaseException, index: int) -> RegoError:
    """A regorus evaluation error: a compile error names file:line, others the input."""
    text = str(exc)
    if "-->" in text and "error:" in text:
        return syntax_error_from_regorus(text, f"input #{index}")
    return RegoEvalError(index, clean_engine_message(text))


# errors that stop the run as OPA's compiler would (a policy bug, exit 2); any other
# runtime error of regorus is undefined in OPA
_COMPILE_ERROR = re.compile(r"unsafe|could not find|unexpected|expecting|must not produce "
                            r"multiple outputs|conflict|recursion|undefined rule|duplicated|"
                            r"before definition")


@dataclass(frozen=True)
class RuleFailure:
    """A rule the engine crashed or overran on (contained.py): a GG040 finding."""

    package: str
    rule: str
    index: int  # the input it failed on
    reason: str
    skipped: int = 0  # later inputs it was not evaluated on (or also failed on, for errors)
    # an evaluation error (indexing a non-collection, a builtin's type error): OPA leaves
    # the expression undefined, so the rule yields nothing for that input (GG042 warning)
    error: bool = False


class _Session:
    """The child's engine, with the input it holds now."""

    def __init__(self, engine: Any) -> None:
        self.engine, self.index = engine, -1


# (input index, package, rule, data ref, conftest file or None)
_Task = tuple[int, str, str, str, "Mapping[str, str] | None"]


class EmbeddedEngine:
    def __init__(self, policies: PolicySet, options: RegoOptions) -> None:
        self._policies = policies
        self.failures: list[RuleFailure] = []
        # rule paths, evaluated one by one: eval_rule skips re-parsing a query per input
        self._rules = [(package, rule, data_ref(package, rule))
                       for package, rules in sorted(policies.targets.items()) for rule in rules]
        # conftest's data.conftest.file changes per input: only policies that read it pay
        # for a query with `with data.conftest.file as ...` instead of eval_rule.
        self._file_info = uses_conftest_file(policies)
        if not self._rules:  # still report a policy that does not parse
            self._run([], [])

    def _prepare(self, stage: Callable[[str], None]) -> _Session:
        return _Session(prepared_regorus(self._policies, stage))

    def _run(self, inputs: Sequence[Any], tasks: Sequence[_Task]) -> list[Any]:
        def run(session: _Session, task: _Task) -> list[Any]:
            index, _, _, ref, file = task
            if session.index != index:
                session.engine.set_input_json(json.dumps(inputs[index]))
                session.index = index
            if file is None:
                value = json.loads(session.engine.eval_rule_as_json(ref))
            else:
                value = _query(session.engine, f"{ref} with data.conftest.file as "
                                               f"{json.dumps(dict(file))}")
            return members(value)
        return run_contained(self._prepare, tasks, run,
                             seconds=self._policies.timeout_seconds,
                             group=lambda task: (task[1], task[2]))

    def evaluate(self, inputs: Sequence[Any],
                 files: Sequence[Mapping[str, str]] | None = None) -> list[RawResult]:
        tasks: list[_Task] = [
            (index, package, rule, ref,
             files[index] if files is not None and self._file_info else None)
            for index in range(len(inputs)) for package, rule, ref in self._rules]
        values = self._run(inputs, tasks)
        results: list[RawResult] = [{} for _ in inputs]
        failed: dict[tuple[str, str], RuleFailure] = {}
        for (index, package, rule, _, _), value in zip(tasks, values, strict=True):
            if isinstance(value, TaskError) and _COMPILE_ERROR.search(str(value.error)):
                raise engine_failure(value.error, index) from None
            if isinstance(value, (TaskError, Failed)):
                key = (package, rule)
                first = failed.get(key)
                error = isinstance(value, TaskError)
                reason = (_last_line(str(value.error)) if isinstance(value, TaskError)
                          else value.reason)
                failed[key] = (RuleFailure(package, rule, index, reason, error=error)
                               if first is None else replace(first, skipped=first.skipped + 1))
                value = []
            results[index].setdefault(package, {})[rule] = value
        self.failures = list(failed.values())
        return results


def _last_line(text: str) -> str:
    """The `error: ...` line of a regorus message (its last line when there is none)."""
    lines = clean_engine_message(text).splitlines() or ["error"]
    marked = [line.strip()[6:].strip() for line in lines if line.strip().startswith("error:")]
    return marked[-1] if marked else lines[-1].strip()


def _query(engine: Any, query: str) -> Any:
    """The value of a one-expression query; None when undefined."""
    answer = json.loads(engine.eval_query_as_json(query))
    rows = answer.get("result") or []
    return rows[0]["expressions"][0]["value"] if rows else None
