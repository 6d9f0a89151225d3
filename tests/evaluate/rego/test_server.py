"""The server engine against a stand-in OPA server (real HTTP, OPA's REST API)."""
from __future__ import annotations

import pytest

from gitops_guard.errors import UsageError
from gitops_guard.evaluate.options import RegoOptions
from gitops_guard.evaluate.rego import evaluate_rego, evaluate_rego_outcome
from gitops_guard.evaluate.rego.errors import RegoError, RegoSyntaxError
from tests.evaluate.rego.conftest import REGO, load_docs
from tests.fakes.opa_server import FakeOpaServer

K8S = REGO / "conftest_examples" / "kubernetes"
ALL_INPUTS = (K8S / "deployment+service.yaml", K8S / "deployments.yaml", K8S / "clean.yaml",
              REGO / "locations" / "workloads.yaml", REGO / "metadata" / "privileged.yaml")
CASES = [
    RegoOptions(policy_paths=(str(K8S / "policy"),), data_paths=(str(K8S / "data"),)),
    RegoOptions(policy_paths=(str(REGO / "locations"),)),
    RegoOptions(policy_paths=(str(REGO / "metadata"),), all_namespaces=True),
]


@pytest.mark.parametrize("options", CASES, ids=["conftest-k8s", "locations", "metadata"])
def test_server_and_embedded_give_identical_findings(
    options: RegoOptions, opa_server: FakeOpaServer,
) -> None:
    docs = load_docs(*ALL_INPUTS)
    embedded = evaluate_rego_outcome(docs, options)
    served = evaluate_rego_outcome(docs, RegoOptions(
        **{**options.__dict__, "engine": "server", "opa_url": opa_server.url}))
    assert embedded.findings  # the comparison is not vacuous
    assert served.findings == embedded.findings
    assert [f.metadata for f in served.findings] == [f.metadata for f in embedded.findings]
    assert served.tally == embedded.tally
    # policies were uploaded through the Policy API, inputs evaluated through the Data API
    assert any(m == "PUT" and p.startswith("/v1/policies/gitops-guard/")
               for m, p in opa_server.requests)
    assert any(m == "POST" and p.startswith("/v1/data/") for m, p in opa_server.requests)


def test_server_own_policies_are_used_without_local_paths() -> None:
    policy = (K8S / "policy" / "deny.rego").read_text()
    lib = (K8S / "policy" / "lib" / "kubernetes.rego").read_text()
    server = FakeOpaServer({"deny.rego": policy, "lib/kubernetes.rego": lib},
                           data={"allowed_registries": ["registry.example.com/"]}).start()
    try:
        docs = load_docs(K8S / "deployments.yaml")
        findings = evaluate_rego(docs, RegoOptions(engine="server", opa_url=server.url))
    finally:
        server.stop()
    assert sorted({f.rule_id for f in findings}) == ["main/deny_run_as_root"]
    assert len(findings) == 2  # no exception policy on that server


def test_server_parse_error_names_file_and_line(opa_server: FakeOpaServer) -> None:
    with pytest.raises(RegoSyntaxError) as err:
        evaluate_rego(load_docs(K8S / "clean.yaml"), RegoOptions(
            policy_paths=(str(REGO / "broken" / "broken.rego"),), engine="server",
            opa_url=opa_server.url))
    assert "broken.rego" in str(err.value) and err.value.line > 0


def test_server_needs_url_and_reports_unreachable() -> None:
    docs = load_docs(K8S / "clean.yaml")
    paths = (str(K8S / "policy"),)
    with pytest.raises(UsageError, match="--opa-url"):
        evaluate_rego(docs, RegoOptions(policy_paths=paths, engine="server"))
    dead = FakeOpaServer()
    url = dead.url
    dead.stop()  # bound and closed: nothing listens there now
    with pytest.raises(RegoError, match="cannot reach OPA server"):
        evaluate_rego(docs, RegoOptions(policy_paths=paths, engine="server", opa_url=url))
