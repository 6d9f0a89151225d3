"""The `opa` binary engine: ONE `opa eval` per run over every input.

The documents go to stdin as one JSON array (`--stdin-input`); the query maps over
it with `with input as doc`, so the process and the policy compilation are paid once.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from gitops_guard.errors import ToolMissingError
from gitops_guard.evaluate.options import RegoOptions
from gitops_guard.evaluate.rego.engine import (
    PolicySet,
    RawResult,
    batch_query,
    uses_conftest_file,
)
from gitops_guard.evaluate.rego.errors import RegoError, RegoSyntaxError
from gitops_guard.runner_env import scrub_secrets

INSTALL_HINT = ("install it from https://www.openpolicyagent.org/docs/latest/#running-opa "
                "(one static binary), or use --rego-engine embedded")
COMPILE_CODES = ("rego_parse_error", "rego_compile_error", "rego_type_error",
                 "rego_unsafe_var_error", "rego_recursion_error")


class OpaBinaryEngine:
    def __init__(self, policies: PolicySet, options: RegoOptions) -> None:
        exe = shutil.which("opa")
        if exe is None:
            raise ToolMissingError("opa", INSTALL_HINT)
        self._exe = exe
        self._policies = policies

    def evaluate(self, inputs: Sequence[Any],
                 files: Sequence[Mapping[str, str]] | None = None) -> list[RawResult]:
        if not inputs:
            return []
        with_files = files is not None and uses_conftest_file(self._policies)
        stdin: list[Any] = ([[doc, dict(f)] for doc, f in zip(inputs, files or (), strict=True)]
                            if with_files else list(inputs))
        with tempfile.TemporaryDirectory(prefix="gitops-guard-opa-") as tmp:
            args = [self._exe, "eval", "--format", "json", "--stdin-input"]
            if self._policies.rego_version == "v0":
                args.append("--v0-compatible")
            for index, module in enumerate(self._policies.modules):
                path = Path(module.path)
                if not path.is_file():  # e.g. policies fetched from elsewhere
                    path = Path(tmp) / f"module{index}.rego"
                    path.write_text(module.text, encoding="utf-8")
                args += ["--data", str(path)]
            if self._policies.data:
                data_file = Path(tmp) / "data.json"
                data_file.write_text(json.dumps(self._policies.data), encoding="utf-8")
                args += ["--data", str(data_file)]
            args.append(batch_query(self._policies.targets, with_files))
            try:
                proc = subprocess.run(args, input=json.dumps(stdin), capture_output=True,
                                      text=True, timeout=self._policies.timeout_seconds,
                                      check=False)
            except subprocess.TimeoutExpired:
                raise RegoError(f"opa eval timed out after "
                                f"{self._policies.timeout_seconds:g}s") from None
        return _parse_output(proc.stdout, proc.stderr, proc.returncode, len(inputs))


def _parse_output(stdout: str, stderr: str, code: int, count: int) -> list[RawResult]:
    try:
        out = json.loads(stdout) if stdout.strip() else {}
    except ValueError:
        out = {}
    errors = out.get("errors") if isinstance(out, dict) else None
    if errors:
        first = errors[0]
        loc = first.get("location") or {}
        message = str(first.get("message", "error"))
        if first.get("code") in COMPILE_CODES and loc.get("file"):
            raise RegoSyntaxError(str(loc["file"]), int(loc.get("row", 0)),
                                  int(loc.get("col", 0)), message)
        raise RegoError(f"opa eval failed: {first.get('code', '')}: {message}")
    if code != 0 or not isinstance(out, dict):
        raise RegoError(f"opa eval exited {code}: "
                        f"{scrub_secrets(stderr.strip() or stdout.strip())}")
    rows = out.get("result") or []
    pairs = rows[0]["expressions"][0]["value"] if rows else []
    results: list[RawResult] = [{} for _ in range(count)]
    for index, value in pairs:
        if isinstance(index, int) and 0 <= index < count and isinstance(value, dict):
            results[index] = value
    return results
