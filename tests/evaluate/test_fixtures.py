"""Python policy fixtures for `gitops-guard verify`: where they live, their header, and
each fixture file as one PASS / FAIL / ERROR test (the CLI: tests/commands/test_verify.py)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from gitops_guard.evaluate.fixtures import (
    DEFAULT_KUBERNETES_VERSION,
    collect_python_fixtures,
    expected_lines,
    header,
)

POLICY = '''\
from gitops_guard.evaluate.api import Violation, rule


@rule(id="ACME001", severity="error", title="replicas at most the option")
def replicas(resource, ctx):
    if resource.get("spec", {}).get("replicas", 1) > ctx.option("max", 3):
        yield Violation("too many replicas", ("spec", "replicas"))
'''
DEPLOY = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d}}\nspec:\n  replicas: {n}"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def results(root: Path, run: str | None = None) -> list[tuple[str, str, str]]:
    found = collect_python_fixtures([str(root)], re.compile(run) if run else None)
    return [(r.name, r.status, r.message.split(": ", 1)[-1]) for r in found]


def test_each_fixture_file_is_one_test(tmp_path: Path) -> None:
    root = write(tmp_path, {
        "acme.py": POLICY,
        "acme_fixtures/pass-two.yaml": DEPLOY.format(n=2) + "\n",
        "acme_fixtures/pass-option.yaml": "# options: {\"max\": 9}\n" + DEPLOY.format(n=5),
        "acme_fixtures/fail-five.yaml": DEPLOY.format(n=5) + "  # expect: ACME001\n",
        "acme_fixtures/fail-wrong-line.yaml": "# expect: ACME001 2\n" + DEPLOY.format(n=5),
        "acme_fixtures/pass-but-fails.yaml": DEPLOY.format(n=7),
        "acme_fixtures/fail-but-passes.yaml": DEPLOY.format(n=1),
        "acme_fixtures/fail-broken.yaml": "a: [\n",
        "acme_fixtures/notes.yaml": DEPLOY.format(n=9),  # neither pass* nor fail*
        "no_fixtures.py": POLICY.replace("ACME001", "ACME002"),
    })
    broken, *rest = results(root)
    assert broken[:2] == ("python.ACME001/fail-broken.yaml", "ERROR")
    assert broken[2].startswith("GG001 line 2: ")  # the fixture does not load
    assert rest == [
        ("python.ACME001/fail-but-passes.yaml", "FAIL",
         "expected at least one ACME001 finding, got none"),
        ("python.ACME001/fail-five.yaml", "PASS", ""),
        ("python.ACME001/fail-wrong-line.yaml", "FAIL",
         "expected findings on lines [2], got lines [6]"),
        ("python.ACME001/pass-but-fails.yaml", "FAIL",
         "expected no finding, got: line 5: too many replicas"),
        ("python.ACME001/pass-option.yaml", "PASS", ""),
        ("python.ACME001/pass-two.yaml", "PASS", ""),
    ]
    assert [name for name, *_ in results(root, "pass-two")] == ["python.ACME001/pass-two.yaml"]


def test_fixtures_per_rule_and_shared_folders(tmp_path: Path) -> None:
    two = POLICY + POLICY.replace("ACME001", "ACME002").replace("def replicas", "def other") \
        .split("\n", 2)[2]
    root = write(tmp_path, {
        "two.py": two,
        "two_fixtures/ACME002/fail.yaml": DEPLOY.format(n=5),
        "fixtures/ACME001/pass.yaml": DEPLOY.format(n=1),
        "two_fixtures/fail-at-the-top.yaml": DEPLOY.format(n=5),  # only for a one-rule file
    })
    assert [(name, status) for name, status, _ in results(root)] == [
        ("python.ACME001/pass.yaml", "PASS"), ("python.ACME002/fail.yaml", "PASS")]


@pytest.mark.parametrize(("text", "options", "version"), [
    ("a: 1\n", {}, DEFAULT_KUBERNETES_VERSION),
    ('# options: {"max": 9}\n# kubernetes-version: 1.29\na: 1\n', {"max": 9}, "1.29"),
    ('# options: {"a": 1}\n# options: {"b": 2}\n', {"a": 1, "b": 2}, DEFAULT_KUBERNETES_VERSION),
])
def test_header(text: str, options: dict[str, int], version: str) -> None:
    assert header(text) == (options, version)


def test_expected_lines_trailing_or_full_line() -> None:
    text = ("a: 1  # expect: ACME001\n# expect: ACME001 7\nb: 2  # expect: ACME0012\n"
            "c: 3  # expect: ACME002\n")
    assert expected_lines(text, "ACME001") == [1, 7]
    assert expected_lines(text, "ACME002") == [4]
