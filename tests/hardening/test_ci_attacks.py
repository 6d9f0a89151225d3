"""Attacks on the CI trust boundary, replayed through `gitops-guard ci --trusted-ref main`.

Each test builds a real git repo (tests/hardening/ci_attack.py): a trusted `main`, then a
PR branch doing what an attacker would, run as a `pull_request_target` job (a write token
and a canary secret in the environment, the PR comment posted to the GitHub stand-in).
Each asserts the attack fails and what the PR author then sees.
"""
from __future__ import annotations

import json
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gitops_guard.config import load_config
from gitops_guard.plan.gittree import GitError, git
from gitops_guard.render import (
    affected_environments,
    environment_inputs,
    environments_from_config,
)
from gitops_guard.render.cache import cache_key
from gitops_guard.render.tools import run_tool
from gitops_guard.runner_env import secrets_withheld
from tests.conftest import RunCli, requires
from tests.hardening.ci_attack import BASE_CONFIG, DEPLOYMENT, Attack, attack_repo

HELMRELEASE = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: web, namespace: shop}
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/web
      sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}
      valuesFiles: [VALUES]
"""
CHART = "apiVersion: v2\nname: web\nversion: 0.1.0\n"
FAKES = Path(__file__).parents[1] / "fakes"


@pytest.fixture
def attack(tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
           ) -> Iterator[Attack]:
    yield from attack_repo(tmp_path, run_cli, monkeypatch)


def _ids(text: str) -> set[str]:
    return {word for word in text.split() if word.startswith("GG") and word[2:].isdigit()}


def test_a_flux_path_symlinked_out_of_the_repo_is_refused(attack: Attack) -> None:
    attack.pr()
    attack.link("apps", attack.outside)  # spec.path ./apps now reads another checkout
    seen = attack.ci()
    assert seen.code == 1, seen
    assert "clusters/staging/apps.yaml:1:1: error   GG120  Kustomization apps: spec.path " \
           "refused: apps resolves outside the repository" in seen.out
    assert "GG120" in seen.comment and "stolen" not in seen.everything
    attack.assert_no_canary(seen)


def test_a_symlink_inside_a_synced_dir_is_refused(attack: Attack) -> None:
    attack.pr()
    attack.link("apps/secret.yaml", attack.outside / "secret.yaml")
    seen = attack.ci()
    assert seen.code == 1, seen
    assert "apps/secret.yaml is a symlink to outside the repository" in seen.out
    attack.assert_no_canary(seen)


@pytest.mark.parametrize("values", ["ENVIRON", "../../../outside/environ",
                                    "charts/web/leak.yaml"])
def test_helm_values_files_outside_the_repo_are_refused(attack: Attack, values: str) -> None:
    attack.write("charts/web/Chart.yaml", CHART)
    attack.pr()
    if values == "charts/web/leak.yaml":
        attack.link(values, attack.outside / "environ")
    values = values.replace("ENVIRON", str(attack.outside / "environ"))
    attack.write("clusters/staging/web.yaml", HELMRELEASE.replace("VALUES", values))
    seen = attack.ci()
    assert seen.code == 1, seen
    assert f"GG120  values file {values} refused" in seen.out
    attack.assert_no_canary(seen)


def test_a_committed_render_cache_is_never_read_and_the_cache_is_no_change(
        attack: Attack) -> None:
    attack.pr()
    attack.write(".gitops-guard-cache/render/planted.json",
                 '{"items": [], "findings": [], "skipped": []}')
    attack.write("apps/web.yaml", DEPLOYMENT.replace("replicas: 2", 'replicas: "3"'))
    first = attack.ci()
    second = attack.ci()  # served from the cache outside the work tree: the same verdict
    assert first.code == second.code == 1, first
    assert "apps/web.yaml:8:3: error   GG201" in second.out
    assert attack.git("status", "--porcelain") == ""
    assert first.out.splitlines()[0] == second.out.splitlines()[0] == \
        "gitops-guard ci: 2 changed file(s), environments: staging"
    assert list((attack.tmp / "xdg" / "gitops-guard" / "render").glob("*.json"))
    attack.assert_no_canary(second)


# -- the PR cannot loosen its own gate ----------------------------------------------------

SCHEMA = '{"type": "object", "required": ["owner"], "properties": {"owner": {"type": "string"}}}'
POLICY = """\
from gitops_guard.evaluate.api import Violation, rule


@rule(id="ACME001", severity="error", title="No latest", kinds=("Deployment",))
def no_latest(resource, ctx):
    for path, c in ctx.containers(resource):
        if str(c.get("image", "")).endswith(":latest"):
            yield Violation("image :latest is banned", (*path, "image"))
"""


def test_a_pr_that_empties_the_custom_schema_is_still_judged_by_main(attack: Attack) -> None:
    attack.write(".gitops-guard.yaml", BASE_CONFIG + "custom_schemas:\n"
                 "  - {files: 'teams/*.yaml', schema: schemas/team.json}\n")
    attack.write("schemas/team.json", SCHEMA)
    attack.write("teams/a.yaml", "owner: alice\n")
    attack.pr()
    attack.write("schemas/team.json", "{}")
    attack.write("teams/a.yaml", "name: nobody\n")
    seen = attack.ci()
    assert seen.code == 1, seen
    assert "teams/a.yaml:1:1: error   GG220" in seen.out and "owner" in seen.out
    attack.assert_no_canary(seen)


def test_a_pr_symlinking_the_custom_schema_out_reads_nothing(attack: Attack) -> None:
    attack.write(".gitops-guard.yaml", BASE_CONFIG + "custom_schemas:\n"
                 "  - {files: 'teams/*.yaml', schema: schemas/team.json}\n")
    attack.write("schemas/team.json", SCHEMA)
    attack.write("teams/a.yaml", "owner: alice\n")
    attack.pr()
    attack.link("schemas/team.json", attack.outside / "environ")
    attack.write("teams/a.yaml", "owner: [1]\n")
    seen = attack.ci()
    assert seen.code == 1 and "GG220" in seen.out, seen
    attack.assert_no_canary(seen)
    untrusted = attack.cli("check", "teams/a.yaml")  # no trusted ref: refused, unread
    assert untrusted.code == 2 and "outside the repository" in untrusted.err, untrusted
    assert attack.token not in untrusted.out + untrusted.err


def test_policy_data_and_baseline_flags_read_the_trusted_ref(attack: Attack) -> None:
    attack.write("policies/no_latest.py", POLICY)
    attack.write("baseline.json", '{"version": 1, "tool": "gitops-guard", "findings": []}')
    attack.pr()
    attack.write("apps/web.yaml", DEPLOYMENT.replace("nginx:1.27.0", "nginx:latest"))
    made = attack.cli("check", "--no-builtin", "--write-baseline", "baseline.json",
                      "-p", "policies")  # the PR records its violation in the baseline ...
    assert made.code == 0 and "wrote 1 finding " in made.err, made
    attack.write("policies/no_latest.py", "")  # ... and disarms the policy
    seen = attack.ci("--no-builtin", "-p", "policies", "--baseline", "baseline.json")
    assert seen.code == 1, seen
    assert "ACME001" in seen.out and "image :latest is banned" in seen.comment


@pytest.mark.parametrize(("flag", "shown"), [("-p", "-p/--policy"), ("-d", "-d/--data"),
                                             ("--baseline", "--baseline"),
                                             ("--schema-location", "--schema-location")])
def test_a_judging_file_only_the_pr_has_is_refused(attack: Attack, flag: str,
                                                   shown: str) -> None:
    attack.pr()
    attack.write("extra/rules.json", "{}")
    seen = attack.ci(flag, "extra/rules.json")
    assert seen.code == 2, seen
    assert f"{shown} extra/rules.json: not in the trusted ref main; under --trusted-ref it " \
           "is read from there, never from the change" in seen.err
    assert seen.comment == ""




def test_a_config_file_only_the_pr_has_is_refused(attack: Attack) -> None:
    attack.pr()
    attack.write("loose.yaml", 'kubernetes_version: "1.32"\nfail_on: never\n')
    seen = attack.ci("--config", "loose.yaml")
    assert seen.code == 2, seen
    assert "--config loose.yaml: not in the trusted ref main" in seen.err
    assert seen.comment == ""


def test_a_policy_dir_outside_the_repository_is_read_as_given(attack: Attack) -> None:
    policies = attack.outside / "policies"  # the workflow's own checkout of its policies
    policies.mkdir()
    (policies / "no_latest.py").write_text(POLICY)
    attack.pr()
    attack.write("apps/web.yaml", DEPLOYMENT.replace("nginx:1.27.0", "nginx:latest"))
    seen = attack.ci("--no-builtin", "-p", str(policies))
    assert seen.code == 1, seen
    assert "ACME001" in seen.out and "image :latest is banned" in seen.comment


@pytest.mark.parametrize("restrictor", ["", ", load_restrictor: none"])
def test_load_restrictor_none_lets_kustomize_reach_outside_on_purpose(
        attack: Attack, restrictor: str) -> None:
    attack.write(".gitops-guard.yaml", "kubernetes_version: \"1.32\"\nenvironments:\n"
                 f"  staging: {{path: apps{restrictor}}}\n")
    attack.write("apps/kustomization.yaml", "resources: [web.yaml, ../../outside/secret.yaml]\n")
    seen = attack.cli("check", "--env", "staging")
    if restrictor:  # the trusted config said so: kustomize reads it, as it would in-cluster
        assert "stolen" in seen.out, seen
    else:
        assert seen.code == 1 and "GG101  kustomize build refused" in seen.out, seen
        assert "stolen" not in seen.out


BAD = "# gitops-guard: ignore RULE approved by me\n" + DEPLOYMENT.replace(
    "replicas: 2", 'replicas: "2"')


@pytest.mark.parametrize(("policy", "rule", "why"), [
    ("{inline: false}", "GG201", "inline suppressions are off (config suppressions.inline: "
                                 "false)"),
    ("{wildcards: false}", "*", "wildcard rule ids are not allowed (config "
                                "suppressions.wildcards: false)"),
    ("{never: [GG2*]}", "GG201", "GG201 may never be suppressed (config suppressions.never)"),
])
def test_suppressions_the_trusted_config_forbids_hide_nothing(
        attack: Attack, policy: str, rule: str, why: str) -> None:
    attack.write(".gitops-guard.yaml", BASE_CONFIG + f"suppressions: {policy}\n")
    attack.pr()
    attack.write(".gitops-guard.yaml", BASE_CONFIG)  # the PR's own loosening is not read
    attack.write("apps/web.yaml", BAD.replace("RULE", rule))
    seen = attack.ci()
    assert seen.code == 1, seen
    assert "apps/web.yaml:9:3: error   GG201" in seen.out
    assert f"apps/web.yaml:1:1: warning GG053  suppression of {rule} refused: {why}; it " \
           "hides nothing" in seen.out
    assert "gitops-guard: failed" in seen.comment
    assert "suppressed</summary>" not in seen.comment


def test_a_wildcard_cannot_hide_a_never_rule_and_says_so(attack: Attack) -> None:
    attack.write(".gitops-guard.yaml", BASE_CONFIG + "suppressions: {never: [GG201]}\n")
    attack.pr()
    attack.write("apps/web.yaml", BAD.replace("RULE", "*"))
    seen = attack.ci()
    assert seen.code == 1 and "apps/web.yaml:9:3: error   GG201" in seen.out, seen
    assert "GG053  suppression of * cannot hide GG201: config suppressions.never" in seen.out


def test_every_suppression_that_hid_a_finding_is_listed(attack: Attack) -> None:
    attack.pr()
    attack.write("apps/web.yaml", BAD.replace("RULE", "*"))
    sarif = attack.tmp / "out.sarif"
    seen = attack.ci("--sarif", str(sarif))
    assert seen.code == 0, seen  # allowed by main's config: it passes, but not silently
    for text in (seen.comment, seen.summary):
        assert "suppressed</summary>" in text
        assert "| GG201 | `apps/web.yaml:9:3` | comment `*` at `apps/web.yaml:1:1` | " \
               "approved by me |" in text
    results = json.loads(sarif.read_text())["runs"][0]["results"]
    hidden = [r for r in results if r.get("suppressions")]
    assert {r["ruleId"] for r in hidden} >= {"GG201"}
    assert hidden[0]["suppressions"][0]["justification"] == "approved by me"


# -- what the PR writes cannot command the runner or ping people ---------------------------

INJECT = "\n::stop-commands::pwned\n::add-mask::x\n##[set-output name=ok;]1\n\x1b[2Kfake pass"


def test_pr_text_cannot_issue_workflow_commands_on_stdout(attack: Attack) -> None:
    def annotated(note: str) -> str:
        return DEPLOYMENT.replace("  labels: {app.kubernetes.io/name: web}\n",
                                  "  labels: {app.kubernetes.io/name: web}\n  annotations:\n"
                                  f"    note: {json.dumps(note)}\n")

    attack.write("apps/web.yaml", annotated("first line\nsecond line\n"))
    attack.pr()  # a multi-line value: the plan shows its lines as a text diff
    attack.write("apps/web.yaml", annotated("first line" + INJECT + "\n").replace(
        "replicas: 2", 'replicas: "2"'))
    seen = attack.ci()
    assert seen.code == 1, seen
    commands = [line for line in seen.out.splitlines() if line.lstrip().startswith("::")]
    assert commands and all(line.startswith(("::error ", "::warning ", "::notice "))
                            for line in commands), commands
    assert "##[" not in seen.out and "\x1b" not in seen.out
    # shown as text: after a diff prefix (the runner only reads `::` at a line's start),
    # `##[` broken, the escape sequence visible
    assert "      +::stop-commands::pwned\n" in seen.out
    assert "+##\u200b[set-output name=ok;]1" in seen.out and "+\\x1b[2Kfake pass" in seen.out


def _outside_fences(markdown: str) -> str:
    return "\n".join(part for i, part in enumerate(markdown.split("```")) if i % 2 == 0)


def test_pr_text_in_the_comment_is_not_html_mentions_or_links(attack: Attack) -> None:
    attack.pr()
    evil = "@octocat #1 GH-2 <img src=x onerror=alert(1)></details><!--"
    attack.write("apps/web.yaml", DEPLOYMENT.replace("replicas: 2",
                                                     f"replicas: {json.dumps(evil)}"))
    seen = attack.ci()
    assert seen.code == 1, seen
    for text in (seen.comment, seen.summary):
        prose = _outside_fences(text)  # inside a ```diff fence nothing is HTML or a link
        assert "<img" not in prose and "</details><!--" not in prose
        assert "@octocat" not in prose and "#1 " not in prose and "GH-2" not in prose
        assert 'spec.replicas: "@\u200boctocat #\u200b1 GH-\u200b2 &lt;img src=x ' \
               "onerror=alert(1)&gt;&lt;/details&gt;" in prose


def test_no_child_process_gets_the_token_or_the_runner_files(
        attack: Attack, monkeypatch: pytest.MonkeyPatch) -> None:
    attack.pr()
    attack.write("apps/kustomization.yaml", "resources: [web.yaml]\n")
    attack.write("apps/web.yaml", DEPLOYMENT.replace("replicas: 2", "replicas: 3"))
    seen_env = attack.tmp / "kustomize.env"
    monkeypatch.setenv("PATH", f"{FAKES}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_KUSTOMIZE_ENV", str(seen_env))
    monkeypatch.setenv("GITHUB_ENV", str(attack.tmp / "github_env"))
    monkeypatch.setenv("ACTIONS_RUNTIME_TOKEN", "runtime-" + attack.canary)
    seen = attack.ci()
    assert seen.code == 0 and "comment: 1 created" in seen.err, seen
    child = seen_env.read_text()
    assert "FAKE_KUSTOMIZE_ENV=" in child  # the tool ran, with this environment:
    for name in ("GITHUB_TOKEN", "CANARY_SECRET", "ACTIONS_RUNTIME_TOKEN", "GITHUB_ENV",
                 "GITHUB_STEP_SUMMARY"):
        assert f"{name}=" not in child
    assert attack.token not in child and attack.canary not in child
    assert os.environ["GITHUB_TOKEN"] == attack.token  # given back when the run ends


# -- no network ---------------------------------------------------------------------------

def test_a_remote_kustomize_resource_is_refused_before_kustomize_runs(attack: Attack) -> None:
    with socket.socket() as listener:  # what kustomize would fetch: it must hear nothing
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.settimeout(0.2)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/remote.yaml"
        attack.pr()
        attack.write("apps/kustomization.yaml", f"resources: [web.yaml, {url}]\n")
        seen = attack.ci()
        with pytest.raises(TimeoutError):
            listener.accept()
    assert seen.code == 0, seen
    assert f"apps/kustomization.yaml:1:1: warning GG104  not rendered: apps/kustomization.yaml " \
           f"names the remote resource {url}; kustomize would fetch it over the network, " \
           "which gitops-guard never does: vendor it into the repository" in seen.out
    attack.assert_no_canary(seen)


# -- no secret in a message ---------------------------------------------------------------

def test_a_kustomize_error_quoting_secret_literals_shows_none_of_them(attack: Attack) -> None:
    attack.pr()
    attack.write("apps/kustomization.yaml", (
        "resources: [web.yaml]\nsecretGenerator:\n  - name: db\n    literals:\n"
        f"      - DB_PASSWORD-{attack.canary}\n      - API_TOKEN={attack.token}\n"))
    seen = attack.ci()
    assert seen.code == 1, seen
    assert "apps/kustomization.yaml:1:1: error   GG101  kustomize build failed: " in seen.out
    assert "literal sources [<redacted> <redacted>]: invalid literal source <redacted>, " \
           "expected key=value" in seen.out
    attack.assert_no_canary(seen)


@requires("helm")
@pytest.mark.parametrize("template", ["{{ fail (toString .Values) }}",
                                      "{{ required (toString .Values.db) .Values.nope }}",
                                      "{{ include .Values.db.password . }}"])
def test_a_helm_error_quoting_secret_values_shows_none_of_them(attack: Attack,
                                                               template: str) -> None:
    attack.write("charts/web/Chart.yaml", CHART)
    attack.write("charts/web/values.yaml", f"api: {{key: {attack.token}}}\n")
    attack.write("charts/web/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\n"
                 "metadata: {name: web}\n")
    attack.write("clusters/staging/web.yaml", HELMRELEASE.replace(
        "      valuesFiles: [VALUES]\n", "") + f"  values:\n    db: {{password: {attack.canary}, "
                 "user: app}\n")  # a value the workflow decrypted into main, say
    attack.pr()
    attack.write("charts/web/templates/cm.yaml", template)  # Helm quotes what it failed on
    seen = attack.ci()
    assert seen.code == 1, seen
    assert "error   GG102  helm template failed: " in seen.out, str(seen)
    assert "<redacted>" in seen.out
    attack.assert_no_canary(seen)


def test_tool_stderr_never_carries_a_secret_of_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    token = "ghs_" + os.urandom(12).hex()
    monkeypatch.setenv("GITHUB_TOKEN", token)
    says = [sys.executable, "-c", "import sys; sys.stderr.write('auth failed: ' + sys.argv[1])",
            token]
    assert run_tool(says).stderr == "auth failed: <redacted>"
    with secrets_withheld():  # as under `ci`: out of the environment, still known secret
        assert run_tool(says).stderr == "auth failed: <redacted>"
        with pytest.raises(GitError) as failed:  # git quotes what it could not resolve
            git(["cat-file", "-t", token], Path.cwd())
    assert token not in str(failed.value) and "<redacted>" in str(failed.value)


def test_a_secret_named_env_value_of_the_wrong_type_is_not_printed(attack: Attack) -> None:
    attack.pr()
    attack.write("apps/web.yaml", DEPLOYMENT.replace(
        "          image: nginx:1.27.0\n", "          image: nginx:1.27.0\n          env:\n"
        f"            - {{name: DB_PASSWORD, value: [{attack.canary}]}}\n"
        f"            - {{name: PLAIN, value: [{attack.canary}x]}}\n"))
    seen = attack.ci()
    assert seen.code == 1, seen
    assert "GG201  spec.template.spec.containers[0].env[0].value: <redacted> is not of " \
           "type string" in seen.out
    assert attack.canary + "x" in seen.out  # not secret-named: shown as it is
    assert attack.canary + '"' not in seen.everything and attack.canary + "]" not in seen.everything


# -- bounded work -------------------------------------------------------------------------

def test_a_render_over_its_memory_limit_is_a_finding_not_a_dead_job(attack: Attack) -> None:
    attack.write(".gitops-guard.yaml", BASE_CONFIG + "limits: {render_memory_mb: 64}\n")
    attack.pr()  # kustomize (the real one) cannot even start in 64 MB: what a blow-up ends as
    attack.write("apps/kustomization.yaml", "resources: [web.yaml]\n")
    seen = attack.ci()
    assert seen.code == 1, seen
    assert "GG121  environment staging: kustomize stopped at its limits rendering apps " \
           "(config limits.render_memory_mb: 64 MB, timeouts.render_seconds); nothing of it " \
           "was checked" in seen.out
    second = attack.ci()  # never cached: rendered (and stopped) again
    assert "GG121" in second.out


# -- graph holes --------------------------------------------------------------------------

def test_a_helmrelease_values_file_is_in_the_graph_and_the_cache_key(attack: Attack) -> None:
    attack.write("charts/web/Chart.yaml", CHART)
    attack.write("values/prod.yaml", "replicas: 2\n")
    attack.write("clusters/staging/web.yaml", HELMRELEASE.replace("VALUES", "values/prod.yaml"))
    config = load_config(attack.root / ".gitops-guard.yaml", attack.root)
    envs = environments_from_config(config)
    assert affected_environments(["values/prod.yaml"], envs, attack.root) == ["staging"]
    before = environment_inputs(envs["staging"], attack.root)
    assert "values/prod.yaml" in before.files
    key = cache_key(envs["staging"], before, attack.root.resolve(), "root-only")
    attack.write("values/prod.yaml", "replicas: 3\n")
    assert cache_key(envs["staging"], before, attack.root.resolve(), "root-only") != key
