"""CRD semantics (validate/apiserver/crd_rules.py, structural.py, cel/): CEL rules with
their own messages, messageExpression, fieldPath, reason; list types; formats; defaults."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from tests.conftest import DATA, RunCli

FIXTURES = DATA / "apiserver"


def run(tmp_path: Path, run_cli: RunCli, *args: str) -> tuple[int, list[dict[str, Any]]]:
    for name in ("widget-crd.yaml", "widgets.yaml"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    result = run_cli("check", str(tmp_path), "--no-builtin", "-o", "json", *args)
    assert result.code in (0, 1), result.err
    return result.code, [f for f in result.json()["findings"] if f["source"] == "apiserver"]


def line_of(needle: str) -> int:
    lines = (FIXTURES / "widgets.yaml").read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_crd_rules_fire_with_the_crds_own_messages_at_the_field(
        tmp_path: Path, run_cli: RunCli) -> None:
    code, found = run(tmp_path, run_cli)
    assert code == 1
    widgets = [f for f in found if f["path"].endswith("widgets.yaml")]
    assert all(f["resource"]["name"] == "bad" for f in widgets)  # the good one is clean
    got = {(f["rule_id"], f["line"], f["column"], f["message"].split(": ", 1)[1])
           for f in widgets}
    spec = line_of("mode: Terminate") - 1
    crd = " (CRD widgets.example.com)"
    assert got == {
        ("GG236", line_of("name: bad") - 3, 1,  # a root rule: at the document
         'Invalid value: "object": widget names start with w-' + crd),
        ("GG231", line_of('app: "not valid!"'), 12, got_label(widgets)),
        ("GG236", spec, 1, "Forbidden: hosts must be names, not IP addresses" + crd),
        ("GG236", spec, 1, 'Invalid value: "object": memory must be under 64Gi' + crd),
        ("GG236", spec, 1, 'Invalid value: "object": owner must be a DNS label' + crd),
        # Kubernetes' quantity arithmetic, semver and regex libraries
        ("GG236", spec, 1, 'Invalid value: "object": memory plus overhead must be under '
         "100Gi" + crd),
        ("GG236", spec, 1, 'Invalid value: "object": version 0.9.0 is not past 1.0.0' + crd),
        ("GG236", spec, 1, 'Invalid value: "object": owner is lower case' + crd),
        ("GG236", spec, 1, "Invalid value: evaluating rule \"self.mode == 'Terminate' ? "
         "size(self.certificateRefs) > 0 : true\": no such key: certificateRefs" + crd),
        # messageExpression, at fieldPath .minReplicas; maxReplicas comes from the default
        ("GG236", line_of("minReplicas: 5"), 3, 'Invalid value: "object": minReplicas (5) '
         "must not exceed maxReplicas (3)" + crd),
        ("GG234", line_of("a.example.com, a.example.com"), 36,
         'Duplicate value: "a.example.com"'),
        # list-type map keys: protocol defaults to TCP
        ("GG234", line_of("protocol: TCP, name: HTTP"), 5,
         'Duplicate value: {"port": 80, "protocol": "TCP"}'),
        ("GG236", line_of("protocol: TCP, name: HTTP"), 31,
         'Invalid value: "HTTP": port names are lower-case letters' + crd),
        ("GG239", line_of("next tuesday"), 3, 'Invalid value: "next tuesday": must be an '
         "RFC 3339 date-time (2006-01-02T15:04:05Z) (format date-time)"),
        ("GG239", line_of("not-a-uuid"), 3,
         'Invalid value: "not-a-uuid": must be a UUID (format uuid)'),
    }


def got_label(found: list[dict[str, Any]]) -> str:
    label = next(f for f in found if f["rule_id"] == "GG231")
    assert label["field"] == "metadata.labels.app"  # a custom resource's metadata is ObjectMeta
    return str(label["message"]).split(": ", 1)[1]


def test_rules_not_run_offline_are_counted_once_per_crd(tmp_path: Path,
                                                        run_cli: RunCli) -> None:
    _, found = run(tmp_path, run_cli)
    notes = sorted(f["message"] for f in found if f["rule_id"] == "GG237")
    assert all(f["severity"] == "info" for f in found if f["rule_id"] == "GG237")
    assert len(notes) == 2, notes
    assert notes == [
        "CRD widgets.example.com rule \"jsonpatch.escapeKey(self.owner) != ''\" does not "
        "compile offline: undeclared reference to 'jsonpatch' (in container '')",
        "CRD widgets.example.com: 2 evaluation(s) of transition rules (oldSelf) skipped: "
        "they apply to updates, and a check sees the object as created"]


def test_config_can_turn_cel_off_and_keep_the_rest(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "cfg.yaml").write_text("apiserver: {cel: false}\n")
    _, found = run(tmp_path, run_cli, "--config", str(tmp_path / "cfg.yaml"))
    assert {f["rule_id"] for f in found} == {"GG231", "GG234", "GG239"}
