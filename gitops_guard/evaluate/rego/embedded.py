"""The embedded engine: regorus in-process. Policies and data are loaded once; each
input only swaps `input` on the prepared engine."""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from gitops_guard.evaluate.options import RegoOptions
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


def _re_match(pattern: str, value: str) -> bool:
    return re.search(pattern, value) is not None


def _items(collection: Any) -> list[Any]:
    return list(collection.values() if isinstance(collection, dict) else collection)


def _all(collection: Any) -> bool:
    return all(item is True for item in _items(collection))


def _any(collection: Any) -> bool:
    return any(item is True for item in _items(collection))


def _set_diff(a: Any, b: Any) -> list[Any]:
    return [item for item in _items(a) if item not in _items(b)]


# OPA's deprecated v0 builtins that regorus lacks, still found in public policy libraries
# (gatekeeper-library's httpsonly and imagedigests call re_match and all).
DEPRECATED_BUILTINS: dict[str, tuple[int, Callable[..., Any]]] = {
    "re_match": (2, _re_match),
    "all": (1, _all),
    "any": (1, _any),
    "set_diff": (2, _set_diff),
}


def prepared_regorus(policies: PolicySet) -> Any:
    """A regorus.Engine with every module and the data loaded (imported lazily)."""
    import regorus

    engine = regorus.Engine()
    engine.set_rego_v0(policies.rego_version == "v0")
    if policies.rego_version == "v0":
        for name, (nargs, func) in DEPRECATED_BUILTINS.items():
            engine.add_extension(name, nargs, func)
    for module in policies.modules:
        try:
            engine.add_policy(module.path, module.text)
        except RuntimeError as exc:
            raise syntax_error_from_regorus(str(exc), module.path) from None
    if policies.data:
        engine.add_data_json(json.dumps(policies.data))
    return engine


def engine_failure(exc: Exception, index: int) -> RegoError:
    """A regorus evaluation error: a compile error names file:line, others the input."""
    text = str(exc)
    if "-->" in text and "error:" in text:
        return syntax_error_from_regorus(text, f"input #{index}")
    return RegoEvalError(index, clean_engine_message(text))


class EmbeddedEngine:
    def __init__(self, policies: PolicySet, options: RegoOptions) -> None:
        self._engine = prepared_regorus(policies)
        # rule paths, evaluated one by one: eval_rule skips re-parsing a query per input
        self._rules = [(package, rule, data_ref(package, rule))
                       for package, rules in sorted(policies.targets.items()) for rule in rules]
        # conftest's data.conftest.file changes per input: only policies that read it pay
        # for a query with `with data.conftest.file as ...` instead of eval_rule.
        self._file_info = uses_conftest_file(policies)

    def evaluate(self, inputs: Sequence[Any],
                 files: Sequence[Mapping[str, str]] | None = None) -> list[RawResult]:
        results: list[RawResult] = []
        for index, document in enumerate(inputs):
            raw: RawResult = {}
            file = files[index] if files is not None and self._file_info else None
            try:
                self._engine.set_input_json(json.dumps(document))
                for package, rule, ref in self._rules:
                    if file is None:
                        value = json.loads(self._engine.eval_rule_as_json(ref))
                    else:
                        value = self._query(f"{ref} with data.conftest.file as "
                                            f"{json.dumps(dict(file))}")
                    raw.setdefault(package, {})[rule] = members(value)
            except RuntimeError as exc:
                raise engine_failure(exc, index) from None
            results.append(raw)
        return results

    def _query(self, query: str) -> Any:
        """The value of a one-expression query; None when undefined."""
        answer = json.loads(self._engine.eval_query_as_json(query))
        rows = answer.get("result") or []
        return rows[0]["expressions"][0]["value"] if rows else None
