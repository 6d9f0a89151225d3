"""`--trusted-ref` (gitops_guard/trusted.py): what judges is read from the trusted ref,
never from the change; paths outside the repository are the workflow's own. The attacks
it stops are replayed through `ci` in tests/hardening/test_ci_attacks.py."""
from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from gitops_guard.errors import UsageError
from gitops_guard.trusted import Pinned, pin_flags, trusted_config, trusted_run
from tests.conftest import GitRepo

CONFIG = """\
fail_on: warning
policies: [policies]
data: [data/allowed.yaml]
custom_schemas:
  - {files: "apps/*.yaml", schema: schemas/app.json}
"""


@pytest.fixture
def repo(git_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """main holds the judging files; the working tree (the change) rewrote them all."""
    git_repo.write(".gitops-guard.yaml", CONFIG)
    git_repo.write("policies/p.py", "# main's policy\n")
    git_repo.write("data/allowed.yaml", "allowed: [main]\n")
    git_repo.write("schemas/app.json", '{"type": "object"}\n')
    git_repo.write("baseline.json", "{}\n")
    git_repo.commit("trusted")
    git_repo.git("checkout", "-qb", "pr")
    git_repo.write(".gitops-guard.yaml", "fail_on: never\n")
    git_repo.write("policies/p.py", "# the change's policy\n")
    git_repo.write("pr-only.json", "{}\n")
    monkeypatch.chdir(git_repo.root)
    return git_repo


def test_the_config_and_its_files_come_from_the_ref(repo: GitRepo) -> None:
    with trusted_run("main", repo.root) as (config, _):
        assert config.fail_on == "warning"
        assert config.root == repo.root  # what is checked stays the working tree's
        (policy,) = config.policy.paths
        assert Path(policy, "p.py").read_text() == "# main's policy\n"
        (data,) = config.policy.data
        assert Path(data).read_text() == "allowed: [main]\n"
        [(_, schema)] = config.custom_schemas
        assert Path(schema).read_text() == '{"type": "object"}\n'
        assert not Path(schema).is_relative_to(repo.root)
    assert not Path(schema).exists()  # the trusted tree goes with the block


def test_trusted_config_is_the_same_config(repo: GitRepo) -> None:
    with trusted_config("main", repo.root) as config:
        assert config.fail_on == "warning"


@pytest.mark.parametrize(("flag", "path", "expected"), [
    ("--baseline", "baseline.json", "tree/baseline.json"),
    ("--baseline", "./baseline.json", "tree/baseline.json"),
    ("-p/--policy", "policies", "tree/policies"),
    ("--baseline", "/srv/ci/baseline.json", "/srv/ci/baseline.json"),  # the workflow's
])
def test_a_flag_naming_a_repo_file_reads_the_ref(repo: GitRepo, flag: str, path: str,
                                                 expected: str) -> None:
    with trusted_run("main", repo.root) as (_, pinned):
        tree = pinned.tree
        shown = pinned.path(flag, path)
    assert shown == (str(tree / expected.removeprefix("tree/"))
                     if expected.startswith("tree/") else expected)


def test_a_repo_file_the_ref_does_not_have_is_refused(repo: GitRepo) -> None:
    with trusted_run("main", repo.root) as (_, pinned), \
            pytest.raises(UsageError) as raised:
        pinned.path("--baseline", "pr-only.json")
    assert str(raised.value) == ("--baseline pr-only.json: not in the trusted ref main; "
                                 "under --trusted-ref it is read from there, never from "
                                 "the change")


@pytest.mark.parametrize(("location", "expected"), [
    ("https://example.com/{{ .ResourceKind }}.json",
     "https://example.com/{{ .ResourceKind }}.json"),  # not a file
    ("/work/repo/schemas/{{ .ResourceKind }}.json",
     "/tmp/trusted/schemas/{{ .ResourceKind }}.json"),
    ("/work/repo/schemas/", "/tmp/trusted/schemas/{{"),
    ("/opt/schemas/{{ .ResourceKind }}.json", "/opt/schemas/{{ .ResourceKind }}.json"),
])
def test_a_schema_location_template_in_the_repository_reads_the_ref(location: str,
                                                                     expected: str) -> None:
    pinned = Pinned("main", Path("/work/repo"), Path("/tmp/trusted"))
    if expected.endswith("{{"):  # a dir: it must be in the ref
        with pytest.raises(UsageError, match="not in the trusted ref main"):
            pinned.location(location)
    else:
        assert pinned.location(location) == expected


def test_pin_flags_rewrites_only_the_judging_flags(repo: GitRepo) -> None:
    args = argparse.Namespace(policy=["policies"], data=None, baseline="baseline.json",
                              schema_location=None, output="json")
    with trusted_run("main", repo.root) as (_, pinned):
        pinned_args = pin_flags(args, pinned)
        assert pinned_args.policy == [str(pinned.tree / "policies")]
        assert pinned_args.baseline == str(pinned.tree / "baseline.json")
    assert pinned_args.output == "json" and pinned_args.data is None
    assert args.baseline == "baseline.json"  # a copy: the caller's flags are unchanged


def test_a_config_flag_outside_the_repository_is_read_as_given(repo: GitRepo,
                                                                tmp_path: Path) -> None:
    own = tmp_path / "ci-config.yaml"
    own.write_text("fail_on: error\n")
    with trusted_run("main", repo.root, str(own)) as (config, _):
        assert config.fail_on == "error"
    repo.write("pr.yaml", "fail_on: never\n")
    with pytest.raises(UsageError, match=r"--config pr\.yaml: not in the trusted ref main"), \
            trusted_run("main", repo.root, "pr.yaml"):
        pass
