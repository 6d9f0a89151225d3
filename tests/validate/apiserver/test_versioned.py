"""Pod rules that follow the target Kubernetes version (validate/apiserver/versioned.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DATA, RunCli
from tests.validate.apiserver.helpers import apiserver_findings

VERSIONED = (DATA / "apiserver" / "versioned-pod.yaml").read_text()
_EVERY_VERSION = {(16, 5, "GG235"), (28, 7, "GG233"), (33, 7, "GG233"), (35, 7, "GG233")}
_OLD_DNS = {(31, 7, "GG233"), (32, 7, "GG233")}  # '_' and a lone '.' in searches: 1.33


@pytest.mark.parametrize(("version", "more"), [
    # SidecarContainers off: restartPolicy dropped (warning), the sidecar's probe
    # forbidden; the sleep action dropped, so preStop has no handler
    ("1.28", {(9, 5, "GG233"), (10, 5, "GG235"), (13, 5, "GG233"), (20, 5, "GG233"),
              (22, 7, "GG235"), *_OLD_DNS}),
    # sidecars on: only Always for init containers; sleep still dropped (alpha)
    ("1.29", {(13, 5, "GG233"), (20, 5, "GG233"), (22, 7, "GG235"), *_OLD_DNS}),
    # sleep on, but 0 seconds is refused until 1.33
    ("1.30", {(13, 5, "GG233"), (20, 5, "GG233"), (23, 17, "GG233"), *_OLD_DNS}),
    ("1.33", {(13, 5, "GG233"), (20, 5, "GG233")}),
    # ContainerRestartRules: restartPolicy on any container
    ("1.35", set()),
])
def test_pod_rules_follow_the_target_version(tmp_path: Path, run_cli: RunCli, version: str,
                                             more: set[tuple[int, int, str]]) -> None:
    _, found = apiserver_findings(tmp_path, run_cli, VERSIONED, "--kubernetes-version",
                                  version)
    got = {(f["line"], f["column"], f["rule_id"]) for f in found}
    assert got == _EVERY_VERSION | more, "\n".join(
        f"{f['line']}:{f['column']} {f['rule_id']} {f['message']}" for f in found)
    messages = {f["line"]: f["message"] for f in found}
    if version == "1.28":
        assert messages[9].endswith("SidecarContainers): this init container must exit "
                                    "before the pod's containers start")
        assert "dropped before Kubernetes 1.30" in messages[22]
        assert "allowed from Kubernetes 1.33" in messages[31]
    if version == "1.30":
        assert messages[23].endswith("(0 is allowed from Kubernetes 1.33; target 1.30)")
