"""`check --env` around the renderers (gitops_guard/environments.py): which environments
run, findings a shared base file gives in several reported once, files no environment
reads checked as they are, policies seeing one environment at a time."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from gitops_guard.config import Config, load_config
from gitops_guard.environments import (
    dedupe,
    outside_environments,
    per_environment,
    pick_environments,
    selected_environments,
)
from gitops_guard.errors import UsageError
from gitops_guard.evaluate import Evaluation
from gitops_guard.model import Document, Finding, Location, PolicyTally, Severity

ENVS = {"staging": object(), "production": object()}


def test_names_are_checked_and_each_taken_once_in_order() -> None:
    assert pick_environments(ENVS, ["production", "staging", "production"]) == \
        ["production", "staging"]
    with pytest.raises(UsageError) as raised:
        pick_environments(ENVS, ["prod"])
    assert str(raised.value) == ("--env prod: no such environment in .gitops-guard.yaml "
                                 "(environments: production, staging)")
    with pytest.raises(UsageError, match=r"\(environments: none configured\)"):
        pick_environments({}, ["prod"])


@pytest.fixture
def config(tmp_path: Path) -> Config:
    for rel in ("envs/staging/a.yaml", "envs/production/a.yaml", "other/b.yaml"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n")
    (tmp_path / ".gitops-guard.yaml").write_text(
        "environments:\n  staging: {path: envs/staging}\n"
        "  production: {path: envs/production}\n")
    return load_config(tmp_path / ".gitops-guard.yaml", tmp_path)


@pytest.mark.parametrize(("names", "paths", "expected"), [
    ([], [], ["production", "staging"]),  # nothing named: every environment
    ([], ["other"], []),                  # paths named: those, no environment
    (["staging"], ["other"], ["staging"]),
])
def test_which_environments_a_check_renders(config: Config, names: list[str],
                                            paths: list[str], expected: list[str]) -> None:
    assert selected_environments(names, config, paths) == expected


def test_files_no_environment_reads_are_checked_as_they_are(config: Config) -> None:
    files = [(config.root / s, s) for s in ("envs/staging/a.yaml", "other/b.yaml")]
    assert [s for _, s in outside_environments(files, ["staging"], config)] == \
        ["other/b.yaml"]


def _finding(env: str | None, message: str = "bad") -> Finding:
    return Finding("GG201", Severity.ERROR, message, Location("base/web.yaml", 3, 5), env=env)


def test_a_finding_several_environments_share_is_reported_once_naming_them() -> None:
    found = dedupe([_finding("staging"), _finding("production"), _finding("staging"),
                    _finding("staging", "other"), _finding(None, "plain")])
    assert [(f.message, f.env) for f in found] == [
        ("bad", "production, staging"), ("other", "staging"), ("plain", None)]


def _doc(env: str | None, name: str) -> Document:
    return Document(f"{name}.yaml", 0, {"kind": "ConfigMap", "metadata": {"name": name}},
                    None, env=env)  # type: ignore[arg-type]


def test_policies_see_one_environment_at_a_time() -> None:
    calls: list[list[str]] = []

    def evaluate(docs: Sequence[Document]) -> Evaluation:
        calls.append([d.data["metadata"]["name"] for d in docs])
        return Evaluation([_finding(docs[0].env, str(len(docs)))], frozenset({"GG9"}),
                          PolicyTally(tests=len(docs)))

    docs = [_doc("staging", "a"), _doc("production", "b"), _doc(None, "c"),
            _doc("staging", "d")]
    result = per_environment(docs, evaluate)
    assert calls == [["a", "d"], ["b"], ["c"]]
    assert [f.env for f in result.findings] == ["staging", "production", None]
    assert result.inactive_rules == {"GG9"} and result.tally == PolicyTally(tests=4)
    calls.clear()
    per_environment(docs[:1], evaluate)
    assert calls == [["a"]]  # one group: evaluated as it is
