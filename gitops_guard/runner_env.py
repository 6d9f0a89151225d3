"""The runner's secrets stay out of every process the run starts.

`ci` runs tools on content the change wrote (kustomize, helm and its plugins, the opa
binary, kubeconform, git) and, without `--trusted-ref`, the change's own Python
policies. For the whole run the environment loses every variable whose name looks
secret (`*TOKEN*`, `*SECRET*`, `*PASSWORD*`, `*API_KEY*`, `*CREDENTIAL*`, ...) and the
runner's command files (`GITHUB_ENV`, `GITHUB_OUTPUT`, `GITHUB_PATH`, `GITHUB_STATE`,
`GITHUB_STEP_SUMMARY`: writing one sets variables or outputs for later steps of the job).
`ci` keeps what it needs itself (the publish token, the summary path) from the returned
mapping; everything is put back when the run ends.
"""
from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator, Mapping
from contextvars import ContextVar

from gitops_guard.secrets_shape import SECRET_NAME

_ALSO = re.compile(r"SESSION|COOKIE", re.IGNORECASE)  # runner variables, beyond SECRET_NAME
RUNNER_FILES = frozenset({"GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_STATE",
                          "GITHUB_STEP_SUMMARY"})
_REMOVED: ContextVar[tuple[tuple[str, str], ...]] = ContextVar("withheld_variables",
                                                              default=())


def withheld(name: str) -> bool:
    return name in RUNNER_FILES or bool(SECRET_NAME.search(name) or _ALSO.search(name))


@contextlib.contextmanager
def secrets_withheld() -> Iterator[Mapping[str, str]]:
    """Remove the secret-named variables and runner files from os.environ (so from every
    child process) for the block; yields what was removed."""
    removed = {name: os.environ.pop(name) for name in list(os.environ) if withheld(name)}
    token = _REMOVED.set((*_REMOVED.get(), *removed.items()))
    try:
        yield dict(removed)
    finally:
        _REMOVED.reset(token)
        os.environ.update(removed)


def secret_environment() -> dict[str, str]:
    """The secret-named variables of the environment, those withheld for now included
    (their values are scrubbed from what tools print: render/secret_values.py)."""
    current = {name: value for name, value in os.environ.items() if withheld(name)}
    return {**dict(_REMOVED.get()), **current}


MIN_SECRET_LENGTH = 6  # `OAUTH_ENABLED=true` is no secret; a token is longer
REDACTED = "<redacted>"


def secret_values() -> set[str]:
    """The values of the environment's secret-named variables, withheld ones included."""
    return {value for name, value in secret_environment().items()
            if name not in RUNNER_FILES and len(value) >= MIN_SECRET_LENGTH}


def scrub_secrets(text: str) -> str:
    """`text` (a tool's stderr, an error) with each secret value of the environment
    replaced by <redacted>, longest first."""
    for value in sorted(secret_values(), key=len, reverse=True):
        text = text.replace(value, REDACTED)
    return text
