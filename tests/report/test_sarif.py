from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from tests.conftest import DATA, RunCli

EXAMPLE = Path(__file__).parents[2] / "examples" / "gitops-repo"
SCHEMA = json.loads((DATA / "sarif" / "sarif-2.1.0-rtm.5.json").read_text())


def _sarif(run_cli: RunCli, *args: str) -> dict:  # type: ignore[type-arg]
    result = run_cli("check", "--no-builtin", "-o", "sarif", *args)
    return json.loads(result.out)  # type: ignore[no-any-return]


def test_sarif_validates_against_the_2_1_0_schema(run_cli: RunCli) -> None:
    log = _sarif(run_cli, str(EXAMPLE), str(DATA / "bad"))
    # The official schema holds a regex jsonschema-rs rejects, so use the reference validator.
    errors = [e.message for e in jsonschema.Draft4Validator(SCHEMA).iter_errors(log)]
    assert errors == []
    assert log["version"] == "2.1.0"


def test_one_rule_per_rule_id_used_and_results_point_at_them(run_cli: RunCli) -> None:
    run = _sarif(run_cli, str(EXAMPLE))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    assert set(ids) == {r["ruleId"] for r in run["results"]}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    replicas = next(r for r in run["results"] if "replicas" in r["message"]["text"])
    location = replicas["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "examples/gitops-repo/apps/base/shop/shop.yaml", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 16, "startColumn": 3}
    gg201 = next(r for r in rules if r["id"] == "GG201")
    assert gg201["help"]["markdown"].startswith("**Value does not match the schema**")


def test_fingerprints_survive_moved_lines(tmp_path: Path, run_cli: RunCli) -> None:
    manifest = tmp_path / "d.yaml"
    original = (DATA / "check" / "deployment-bad.yaml").read_text()
    manifest.write_text(original)
    before = _sarif(run_cli, str(manifest))["runs"][0]["results"]
    manifest.write_text("# a new comment\n# and another\n" + original)
    after = _sarif(run_cli, str(manifest))["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in before] == [r["partialFingerprints"] for r in after]
    assert before[0]["locations"][0]["physicalLocation"]["region"]["startLine"] + 2 == \
        after[0]["locations"][0]["physicalLocation"]["region"]["startLine"]


def test_one_result_per_line_exactly_as_json_writes_it(run_cli: RunCli) -> None:
    """Results are written one per line by hand (a fleet has tens of thousands): each line
    must be what json.dumps makes of the result, odd text included."""
    text = run_cli("check", "--no-builtin", "-o", "sarif", str(EXAMPLE), str(DATA / "bad")).out
    results = json.loads(text)["runs"][0]["results"]
    lines = [line.strip().rstrip(",") for line in text.splitlines()
             if line.startswith(" " * 8 + '{"ruleId"')]
    assert results and lines == [json.dumps(r) for r in results]


def test_odd_text_in_a_result_is_escaped_as_json_escapes_it() -> None:
    from gitops_guard.model import Finding, Location, ResourceKey, Severity
    from gitops_guard.report.sarif import _result, _result_json

    odd = [Finding('GG1"\\', Severity.INFO, "m\n\t\0é😀\u2028", Location("dir é/x.yaml", 0, 0)),
           Finding("GG2", Severity.ERROR, "", Location("a", 5, 3),
                   ResourceKey("v1", "Pod", "ns", "n"), env="a, b", field_path="spec.x")]
    assert [_result_json(f, 3) for f in odd] == [json.dumps(_result(f, 3)) for f in odd]
