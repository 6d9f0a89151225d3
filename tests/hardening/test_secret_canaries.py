"""Secrets canary harness: distinct random canaries are planted in a git repository (base
and head hold different ones, so every diff shows them changing) and every command runs
in every output format; no canary, nor its base64 form, may appear in stdout, stderr,
any written file (SARIF, JUnit, the job summary, --output-file) or any request body the
GitHub stand-in received.

Planted in: Secret `data` (base64) and `stringData`; a Deployment env `value:` named
DB_PASSWORD; Helm values (a chart that puts .Values.password in a Secret); a Terraform
plan attribute marked in `after_sensitive`; a Python policy's exception text; an error
message (a Secret whose stringData value breaks the schema, so the error is about it)."""
from __future__ import annotations

import base64
import json
import secrets
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from gitops_guard.render.cache import cache_dir
from tests.conftest import CliResult, RunCli, requires
from tests.fakes.github_api import FakeGitHub

PLACES = ("secret_data", "string_data", "env_value", "helm_value", "terraform", "schema_error")


def canaries(tag: str) -> dict[str, str]:
    return {p: f"cnry{tag}{p.replace('_', '')}{secrets.token_hex(8)}" for p in PLACES}


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def write_repo(root: Path, c: dict[str, str]) -> None:
    files = {
        ".gitops-guard.yaml": (
            "policies: [policies]\n"
            "environments:\n"
            "  staging: {path: apps}\n"
            "  chart: {path: chart, namespace: default, values: [chart-values.yaml]}\n"
            "  infra: {path: infra/plan.json, kind: terraform-plan}\n"),
        "apps/kustomization.yaml": "resources: [secret.yaml, deploy.yaml, broken.yaml]\n",
        "apps/secret.yaml": (
            "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\n"
            f"data:\n  password: {_b64(c['secret_data'])}\n"
            f"stringData:\n  token: {c['string_data']}\n"),
        "apps/broken.yaml": (  # a schema error about the value itself
            "apiVersion: v1\nkind: Secret\nmetadata: {name: broken, namespace: shop}\n"
            f"stringData:\n  token: [{c['schema_error']}]\n"),
        "apps/deploy.yaml": (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\n"
            "spec:\n  replicas: 1\n  selector: {matchLabels: {app: api}}\n  template:\n"
            "    metadata: {labels: {app: api}}\n    spec:\n      containers:\n"
            "        - name: api\n          image: example.com/api:1.0\n          env:\n"
            f"            - {{name: DB_PASSWORD, value: {c['env_value']}}}\n"),
        "chart/Chart.yaml": "apiVersion: v2\nname: db\nversion: 0.1.0\n",
        "chart/values.yaml": "password: change-me\n",
        "chart/templates/secret.yaml": (
            "apiVersion: v1\nkind: Secret\nmetadata: {name: chart-db}\n"
            "data:\n  password: {{ .Values.password | b64enc }}\n"),
        "chart-values.yaml": f"password: {c['helm_value']}\n",
        "infra/plan.json": json.dumps({
            "format_version": "1.2", "terraform_version": "1.9.0", "resource_changes": [{
                "address": "aws_db_instance.main", "type": "aws_db_instance", "name": "main",
                "change": {"actions": ["update"],
                           "before": {"password": "old-but-also-hidden", "size": 1},
                           "after": {"password": c["terraform"], "size": 2},
                           "before_sensitive": {"password": True},
                           "after_sensitive": {"password": True}}}]}),
        "policies/quotes_secrets.py": (
            "import base64\n"
            "from gitops_guard.evaluate.api import rule\n\n"
            "@rule(id='ACME900', severity='warning', title='Quotes', kinds=('Secret',))\n"
            "def quotes(resource, ctx):\n"
            "    for v in (resource.get('data') or {}).values():\n"
            "        raise ValueError('bad password ' + base64.b64decode(v).decode())\n"
            "    yield from ()\n"),
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


class Harness:
    def __init__(self, root: Path, out: Path, planted: list[str]) -> None:
        self.root, self.out = root, out
        self.forbidden = [v for c in planted for v in (c, _b64(c))]
        self.runs: list[tuple[str, CliResult]] = []

    def assert_clean(self, where: str, text: str) -> None:
        leaked = [c for c in self.forbidden if c in text]
        assert not leaked, f"{where} leaks {leaked}"


@pytest.fixture
def harness(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Harness]:
    root = tmp_path / "repo"
    root.mkdir()
    base, head = canaries("b"), canaries("h")
    write_repo(root, base)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "t@example.com")
    git(root, "config", "user.name", "T")
    git(root, "add", ".")
    git(root, "commit", "-qm", "base")
    git(root, "checkout", "-qb", "pr")
    write_repo(root, head)
    git(root, "commit", "-qam", "rotate every secret")
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(root)
    for var in ("GITHUB_ACTIONS", "GITLAB_CI", "GITHUB_EVENT_PATH", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(var, raising=False)
    yield Harness(root, out, [*base.values(), *head.values()])


def _run(h: Harness, run_cli: RunCli, *argv: str) -> CliResult:
    result = run_cli(*argv)
    assert result.code in (0, 1), f"{argv}: exit {result.code}: {result.err}"
    h.assert_clean(f"{' '.join(argv)} stdout", result.out)
    h.assert_clean(f"{' '.join(argv)} stderr", result.err)
    return result


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "markdown"])
@requires("helm")
def test_check_in_every_format(harness: Harness, run_cli: RunCli, fmt: str) -> None:
    report = harness.out / f"check.{fmt}"
    files = _run(harness, run_cli, "check", "-o", fmt, "--output-file", str(report))
    harness.assert_clean(f"check -o {fmt} --output-file", report.read_text())
    assert files.code == 1  # the schema error and the policy error are reported...
    envs = _run(harness, run_cli, "check", "--env", "staging", "--env", "chart", "-o", fmt)
    assert "GG040" in envs.out  # the policy's exception, with the value masked
    assert "GG201" in envs.out  # the schema error about the value, without it


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
@requires("helm")
def test_diff_in_every_format(harness: Harness, run_cli: RunCli, fmt: str) -> None:
    result = _run(harness, run_cli, "diff", "--base", "main", "-o", fmt)
    assert "password" in result.out  # the changes are there, as key + length/hash
    assert "aws_db_instance.main" in result.out


@requires("helm")
def test_ci_with_every_report_and_the_comment(harness: Harness, run_cli: RunCli,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    summary = harness.out / "summary.md"
    with FakeGitHub() as gh:
        event = harness.out / "event.json"
        event.write_text(json.dumps({"number": 7, "pull_request": {
            "number": 7, "base": {"sha": git(harness.root, "rev-parse", "main"),
                                  "repo": {"full_name": "acme/gitops"}},
            "head": {"sha": git(harness.root, "rev-parse", "HEAD"),
                     "repo": {"full_name": "acme/gitops"}}}}))
        for key, value in {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_PATH": str(event),
                           "GITHUB_REPOSITORY": "acme/gitops", "GITHUB_API_URL": gh.url,
                           "GITHUB_TOKEN": "write-token",
                           "GITHUB_STEP_SUMMARY": str(summary)}.items():
            monkeypatch.setenv(key, value)
        sarif, junit = harness.out / "ci.sarif", harness.out / "ci.xml"
        result = _run(harness, run_cli, "ci", "--comment", "github", "--sarif", str(sarif),
                      "--junit", str(junit))
        assert result.code == 1
        bodies = [body for _, _, body in gh.state.requests]
        assert len(gh.bot_comments()) == 1
    for path in (sarif, junit, summary):
        harness.assert_clean(path.name, path.read_text())
    for body in bodies:
        harness.assert_clean("a request to the GitHub stand-in", body)
    assert "environments: staging, chart" in result.out  # Terraform plans: see diff


def test_policies_show_and_verify(harness: Harness, run_cli: RunCli) -> None:
    _run(harness, run_cli, "policies", "list")
    _run(harness, run_cli, "policies", "show", "ACME900")
    verify = run_cli("verify", "-p", "policies")
    harness.assert_clean("verify stdout", verify.out)
    harness.assert_clean("verify stderr", verify.err)


def test_the_render_cache_is_private_and_outside_the_work_tree(harness: Harness,
                                                               run_cli: RunCli) -> None:
    """The render cache holds rendered Secrets (what `kubectl kustomize` prints too): it
    lives under $XDG_CACHE_HOME, owner-only, never in the work tree."""
    _run(harness, run_cli, "check", "--env", "staging")
    assert not (harness.root / ".gitops-guard-cache").exists()
    folder = cache_dir()
    entries = list(folder.glob("*.json"))
    assert entries and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(e.stat().st_mode) for e in entries} == {0o600}
