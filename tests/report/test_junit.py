from __future__ import annotations

from xml.etree import ElementTree as ET

from tests.conftest import DATA, RunCli


def test_a_testcase_per_file_and_family_with_failures_at_file_line(run_cli: RunCli) -> None:
    good, bad = DATA / "check" / "deployment-good.yaml", DATA / "check" / "deployment-bad.yaml"
    result = run_cli("check", "--no-builtin", "-o", "junit", str(good), str(bad))
    assert result.code == 1
    root = ET.fromstring(result.out)
    cases = root.findall("./testsuite/testcase")
    names = {(c.get("classname", "").rsplit("/", 1)[-1], c.get("name")) for c in cases}
    assert ("deployment-good.yaml", "schema") in names
    assert ("deployment-bad.yaml", "schema") in names
    failed = [c for c in cases if c.find("failure") is not None]
    assert [(c.get("classname", "").rsplit("/", 1)[-1], c.get("name")) for c in failed] == [
        ("deployment-bad.yaml", "schema")]
    failure = failed[0].find("failure")
    assert failure is not None and failure.text is not None
    assert "tests/data/check/deployment-bad.yaml:12:3: error GG201" in failure.text
    assert "tests/data/check/deployment-bad.yaml:20:11: error GG202" in failure.text
    assert root.get("failures") == "1"
