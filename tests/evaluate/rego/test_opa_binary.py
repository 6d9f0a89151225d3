"""The `opa` binary engine. opa cannot be installed here (not in PyPI, Debian or npm
lists), so the parity test runs only where `opa` is on PATH."""
from __future__ import annotations

import pytest

from gitops_guard.errors import ToolMissingError
from gitops_guard.evaluate.options import RegoOptions
from gitops_guard.evaluate.rego import evaluate_rego
from tests.conftest import requires
from tests.evaluate.rego.conftest import REGO, load_docs

K8S = REGO / "conftest_examples" / "kubernetes"
OPTIONS = RegoOptions(policy_paths=(str(K8S / "policy"),), data_paths=(str(K8S / "data"),))


def test_missing_opa_is_a_clear_exit_2_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(ToolMissingError) as err:
        evaluate_rego(load_docs(K8S / "clean.yaml"),
                      RegoOptions(**{**OPTIONS.__dict__, "engine": "opa"}))
    assert err.value.exit_code == 2
    assert "opa is required" in str(err.value) and "install" in str(err.value)


@requires("opa")  # not installable here (no PyPI/Debian/npm package)
def test_opa_and_embedded_give_identical_findings() -> None:
    docs = load_docs(K8S / "deployment+service.yaml", K8S / "deployments.yaml",
                     REGO / "locations" / "workloads.yaml")
    embedded = evaluate_rego(docs, OPTIONS)
    assert embedded
    assert evaluate_rego(docs, RegoOptions(**{**OPTIONS.__dict__, "engine": "opa"})) == embedded
