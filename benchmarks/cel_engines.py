"""The CEL engines on PyPI compared: conformance on what Kubernetes rules use, and speed.

    python -m venv benchmarks/.work/cel-venv
    benchmarks/.work/cel-venv/bin/pip install cel-expr-python==0.1.3 cel-python==0.5.0 \
        common-expression-language==0.10.0
    benchmarks/.work/cel-venv/bin/python benchmarks/cel_engines.py

Engines: cel-expr-python (CEL C++, Google's cel-expr project; the one gitops-guard uses),
cel-python (`celpy`, pure Python) and common-expression-language (`cel`, Rust cel
bindings). CASES are written from the CEL language definition (cel-spec langdef.md) and
Kubernetes' CRD validation rules docs: each expression with `self` bound to a value and
the expected result, or ERROR where the spec says evaluation fails. An engine that is not
installed is listed as such. Speed: one Gateway-API-shaped rule (listener names unique)
over 16 listeners, compiled once, evaluated --repeat times: microseconds per evaluation.
"""
from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

ERROR = object()
Program = Callable[[dict[str, Any]], Any]

LISTENERS = {"listeners": [{"name": f"l{i}", "port": 80 + i, "protocol": "HTTP"}
                           for i in range(16)]}
CASES: list[tuple[str, Any, Any]] = [
    ("1 + 2 * 3", None, 7),
    ("7 / 2", None, 3),
    ("7 % 3", None, 1),
    ("1 / 0", None, ERROR),
    ("9223372036854775807 + 1", None, ERROR),
    ("2.5 * 2.0", None, 5.0),
    ("'a' + 'b'", None, "ab"),
    ("size('héllo')", None, 5),
    ("size(self)", [1, 2, 3], 3),
    ("self.a.b", {"a": {"b": 4}}, 4),
    ("self.missing", {"a": 1}, ERROR),
    ("has(self.a)", {"a": 1}, True),
    ("has(self.b)", {"a": 1}, False),
    ("self.x > 3 ? 'big' : 'small'", {"x": 5}, "big"),
    ("self.all(x, x > 0)", [1, 2, 3], True),
    ("self.exists(x, x == 2)", [1, 2, 3], True),
    ("self.exists_one(x, x > 1)", [1, 2, 3], False),
    ("self.map(x, x * 2)", [1, 2], [2, 4]),
    ("self.filter(x, x % 2 == 0)", [1, 2, 3, 4], [2, 4]),
    ("self.all(k, k.startsWith('a'))", {"ab": 1, "ac": 2}, True),
    ("'b' in self", ["a", "b"], True),
    ("'k' in self", {"k": 1}, True),
    ("self.startsWith('/api')", "/api/v1", True),
    ("self.endsWith('.com')", "a.example.com", True),
    ("self.contains('..')", "/a/../b", True),
    ("self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')", "my-name", True),
    ("self.matches('^[a-z]+$')", "Upper", False),
    ("false && (1 / 0 == 1)", None, False),
    ("true || (1 / 0 == 1)", None, True),
    ("(1 / 0 == 1) || true", None, True),
    ("int('42') + 1", None, 43),
    ("string(42)", None, "42"),
    ("double(1) == 1.0", None, True),
    ("int('x')", None, ERROR),
    ("duration('1h30m') > duration('90s')", None, True),
    ("timestamp('2026-01-01T00:00:00Z') < timestamp('2027-01-01T00:00:00Z')", None, True),
    ("[1, 2] + [3]", None, [1, 2, 3]),
    ("{'a': 1}['a']", None, 1),
    ("type(1) == int", None, True),
    ("self == null", None, True),
    ("self.lowerAscii()", "ABC", "abc"),
    ("self.split('/')", "a/b/c", ["a", "b", "c"]),
    ("self.join('-')", ["a", "b"], "a-b"),
    ("self.substring(1, 3)", "abcdef", "bc"),
    ("self.replace('a', 'o')", "banana", "bonono"),
    ("self.all(l1, self.exists_one(l2, l1.name == l2.name))",
     [{"name": "a"}, {"name": "a"}], False),
]


def cel_expr_python() -> Callable[[str], Program]:
    from cel_expr_python import cel
    from cel_expr_python.ext import ext_optional, ext_strings

    env = cel.NewEnv(variables={"self": cel.Type.DYN},
                     extensions=[ext_strings.ExtStrings(), ext_optional.ExtOptional()])

    def compile_(expr: str) -> Program:
        program = env.compile(expr)

        def run(data: dict[str, Any]) -> Any:
            value = program.eval(data=data)
            if value.type() == cel.Type.ERROR:
                raise ValueError(value.value())
            return value.plain_value()
        return run
    return compile_


def cel_python() -> Callable[[str], Program]:
    import celpy

    env = celpy.Environment()

    def compile_(expr: str) -> Program:
        program = env.program(env.compile(expr))

        def run(data: dict[str, Any]) -> Any:
            value = program.evaluate({k: celpy.json_to_cel(v) for k, v in data.items()})
            if isinstance(value, celpy.CELEvalError):
                raise ValueError(value)
            return value
        return run
    return compile_


def common_expression_language() -> Callable[[str], Program]:
    import cel

    def compile_(expr: str) -> Program:
        program = cel.compile(expr)
        return lambda data: program.execute(data)
    return compile_


ENGINES: dict[str, Callable[[], Callable[[str], Program]]] = {
    "cel-expr-python 0.1.3": cel_expr_python,
    "cel-python 0.5.0": cel_python,
    "common-expression-language 0.10.0": common_expression_language,
}


def same(got: Any, want: Any) -> bool:
    if isinstance(want, list):
        return isinstance(got, (list, tuple)) and len(got) == len(want) and all(
            same(g, w) for g, w in zip(got, want, strict=True))
    if want is None:
        return got is None
    if isinstance(want, bool):  # a boolean of the engine's own type, not 1 or 0
        return "bool" in type(got).__name__.lower() and bool(got) is want
    return bool(got == want) and "bool" not in type(got).__name__.lower()


def conformance(compile_: Callable[[str], Program]) -> list[str]:
    failed = []
    for expr, value, want in CASES:
        try:
            got = compile_(expr)({"self": value})
        except Exception as exc:  # any engine's error is an evaluation failure
            got = ERROR if want is ERROR else f"error: {str(exc).splitlines()[0][:60]}"
        if not (got is ERROR and want is ERROR) and (want is ERROR or not same(got, want)):
            failed.append(f"{expr!r}: got {got!r}")
    return failed


def speed(compile_: Callable[[str], Program], repeat: int) -> float:
    program = compile_("self.listeners.all(l1, self.listeners.exists_one(l2, "
                       "l1.name == l2.name))")
    data = {"self": LISTENERS}
    assert bool(program(data)) is True
    start = time.perf_counter()
    for _ in range(repeat):
        program(data)
    return (time.perf_counter() - start) / repeat * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2000)
    parser.add_argument("--show-failures", action="store_true")
    args = parser.parse_args()
    print("| engine | conformance | µs per evaluation (16 listeners, unique names) |")
    print("|---|---|---|")
    for name, factory in ENGINES.items():
        try:
            compile_ = factory()
        except ImportError as exc:
            print(f"| {name} | not installed ({exc.name}) | |")
            continue
        failed = conformance(compile_)
        micro = speed(compile_, args.repeat)
        print(f"| {name} | {len(CASES) - len(failed)}/{len(CASES)} | {micro:.0f} |")
        for line in failed if args.show_failures else ():
            print(f"    {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
