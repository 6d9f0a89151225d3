"""Errors of the Rego side (errors.py): a regorus message becomes file:line:column and the
message, without the Rust backtrace; every one exits 2."""
from __future__ import annotations

import pickle

import pytest

from gitops_guard.evaluate.options import RegoOptions
from gitops_guard.evaluate.rego import evaluate_rego
from gitops_guard.evaluate.rego.errors import (
    RegoEvalError,
    RegoSyntaxError,
    syntax_error_from_regorus,
)
from tests.evaluate.rego.conftest import REGO, load_docs

K8S = REGO / "conftest_examples" / "kubernetes"
REGORUS = ("\n--> p.rego:4:7\n  |\n4 |   msg := \n  |       ^\n"
           "error: expecting `}` while parsing set\n\nStack backtrace:\n   0: <unknown>\n")


def test_syntax_error_names_file_and_line() -> None:
    with pytest.raises(RegoSyntaxError) as err:
        evaluate_rego(load_docs(K8S / "clean.yaml"),
                      RegoOptions(policy_paths=(str(REGO / "broken"),)))
    assert err.value.exit_code == 2
    assert err.value.file.endswith("broken/broken.rego") and err.value.line > 0
    assert "broken.rego:" in str(err.value)


@pytest.mark.parametrize(("text", "shown"), [
    (REGORUS, "p.rego:4:7: rego error: expecting `}` while parsing set"),
    ("error: no location here\nStack backtrace:\n  0: x", "f.rego: rego error: no location here"),
    ("a bare message\nlast line", "f.rego: rego error: last line"),
    ("", "f.rego: rego error: error"),
])
def test_regorus_message_becomes_file_line_and_message(text: str, shown: str) -> None:
    error = syntax_error_from_regorus(text, "f.rego")
    assert str(error) == shown
    assert error.exit_code == 2
    assert "backtrace" not in str(error)


@pytest.mark.parametrize("error", [RegoSyntaxError("p.rego", 4, 7, "bad"),
                                   RegoEvalError(3, "division by zero")])
def test_errors_cross_the_contained_engines_pipe_whole(error: Exception) -> None:
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), str(again), vars(again)) == (type(error), str(error), vars(error))
