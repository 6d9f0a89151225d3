"""Feature gates (validate/apiserver/gates.py): the config says how the cluster sets them."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import RunCli
from tests.validate.apiserver.helpers import apiserver_findings
from tests.validate.apiserver.test_kinds import SCALE_TO_ZERO
from tests.validate.apiserver.test_versioned import VERSIONED


def test_feature_gates_in_the_config_override_the_version(tmp_path: Path,
                                                           run_cli: RunCli) -> None:
    """HPAScaleToZero is off in every release unless the cluster turns it on (then 0 is
    taken with an External metric, still not without); a gate on by default may be turned
    off (the config says how the cluster's API server runs)."""
    config = tmp_path / "gates.yaml"
    config.write_text("apiserver:\n  feature_gates: {HPAScaleToZero: true, "
                      "SidecarContainers: false}\n")
    _, found = apiserver_findings(tmp_path, run_cli, SCALE_TO_ZERO, "--config", str(config))
    assert [(f["line"], f["severity"]) for f in found] == [(19, "error")]
    _, found = apiserver_findings(tmp_path, run_cli, VERSIONED, "--config", str(config),
                                  "--kubernetes-version", "1.33")
    assert {(f["line"], f["severity"]) for f in found if f["field"].endswith(
        "].restartPolicy")} >= {(9, "warning"), (13, "warning")}  # dropped: gate off


def test_an_unknown_feature_gate_is_a_config_error(tmp_path: Path, run_cli: RunCli) -> None:
    config = tmp_path / "gates.yaml"
    config.write_text("apiserver:\n  feature_gates: {HPAScaleToZer0: true}\n")
    (tmp_path / "m.yaml").write_text(SCALE_TO_ZERO)
    result = run_cli("check", str(tmp_path / "m.yaml"), "--config", str(config))
    assert result.code == 2
    assert 'gates.yaml:2:3: apiserver.feature_gates: "HPAScaleToZer0" is not one of' \
        in result.err
