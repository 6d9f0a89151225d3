"""The `check` pipeline: discover -> load -> validate -> evaluate -> suppress -> baseline."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from gitops_guard.catalog import CORE_RULES
from gitops_guard.config import Config
from gitops_guard.discover import Discovery, discover
from gitops_guard.environments import (
    check_environments,
    dedupe,
    outside_environments,
    per_environment,
    selected_environments,
)
from gitops_guard.evaluate import run_policies
from gitops_guard.evaluate.baseline import apply_baseline, load_baseline
from gitops_guard.evaluate.builtin import builtin_rules
from gitops_guard.evaluate.options import PolicyOptions
from gitops_guard.evaluate.selection import split_by_severity, without_kinds
from gitops_guard.evaluate.suppress import SuppressionUse, SuppressScope, apply_suppressions
from gitops_guard.load.base import SUPPRESSION_MARKER, FileResult, LoadLimits
from gitops_guard.load.cache import LoadCache, cache_enabled
from gitops_guard.load.files import load_files as load_many
from gitops_guard.load.stdin import STDIN_ARG, STDIN_PATH, load_stdin
from gitops_guard.model import (
    CheckResult,
    Document,
    Finding,
    PolicyTally,
    Severity,
    SuppressedFinding,
)
from gitops_guard.validate import validate_documents
from gitops_guard.validate.kubernetes import kubernetes_schemas
from gitops_guard.validate.options import SchemaOptions

if TYPE_CHECKING:
    from gitops_guard.render.model import RenderResult


@dataclass(frozen=True)
class CheckOptions:
    paths: tuple[str, ...] = ()
    schema: SchemaOptions = field(default_factory=lambda: SchemaOptions("1.37"))
    validate_schemas: bool = True
    policy: PolicyOptions = field(default_factory=PolicyOptions)
    evaluate_policies: bool = True
    envs: tuple[str, ...] = ()  # --env: rendered environments (none + no paths: all of them)
    min_severity: str | None = None  # --min-severity: list only findings at or above it
    skip_kinds: tuple[str, ...] = ()  # --skip-kind: no findings about these kinds
    jobs: int = 1  # -j: worker processes for parsing, past load/files.py's threshold
    cache: bool = False  # reuse load results of unchanged files (the CLI turns it on)


def load_files(
    files: Sequence[tuple[Path, str]], limits: LoadLimits,
    marked: dict[str, str] | None = None, jobs: int = 1, cache: LoadCache | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> tuple[list[Document], list[Finding]]:
    """Documents and load findings, in file order; `marked` receives the text of files
    holding suppression comments (the only files whose text is needed again). With
    parse workers, this process runs `meanwhile` once they are started."""
    documents: list[Document] = []
    findings: list[Finding] = []
    loaded = load_many(files, limits, jobs, cache, meanwhile)
    for (_, shown), result in zip(files, loaded, strict=True):
        if marked is not None and result.text is not None:
            marked[shown] = result.text
        documents.extend(result.documents)
        findings.extend(result.findings)
    return documents, findings


def marked_sources(rendered: Sequence[Document], root: Path, texts: dict[str, str]) -> None:
    """Add to `texts` the repo files that rendered documents came from (a base shared by
    environments) and that hold suppression comments: those apply to the rendered
    resources too."""
    base = root.resolve()
    for path in sorted({d.path for d in rendered if d.source_format == "rendered"}):
        if path in texts or path.startswith("/"):
            continue
        source = (base / path).resolve()
        if not source.is_relative_to(base) or not source.is_file():
            continue
        try:
            data = source.read_bytes()
        except OSError:
            continue
        if SUPPRESSION_MARKER in data:
            texts[path] = data.decode("utf-8", "replace")


def _prepare(options: CheckOptions) -> None:
    """Work this process would do later anyway, done while parse workers start: load the
    built-in rules and the Kubernetes schemas."""
    if options.evaluate_policies and options.policy.builtin:
        builtin_rules()
    if options.validate_schemas and options.schema.engine == "builtin":
        kubernetes_schemas(options.schema.kubernetes_version, options.schema.strict)


class Gathered(NamedTuple):
    """A check before its last steps (baseline, cross-environment dedupe, order): what a
    shard of a fleet run contributes (fleet/merge.py joins them, then finish_check)."""

    findings: list[Finding]  # after suppressions
    checked: tuple[str, ...]
    resources: int
    usage: tuple[SuppressionUse, ...] = ()
    inactive: frozenset[str] = frozenset()  # policy rules that exist but did not run
    documents: Sequence[Document] = ()
    suppressed: tuple[SuppressedFinding, ...] = ()  # the findings suppressions hid
    tally: PolicyTally | None = None  # conftest's counts, when Rego policies ran
    # each environment's render, for a plan of the same tree (ci): never rendered twice
    renders: Mapping[str, RenderResult] = MappingProxyType({})


def run_check(options: CheckOptions, config: Config) -> CheckResult:
    return finish_check(gather_check(options, config), options.policy.baseline,
                        options.min_severity)


def gather_check(options: CheckOptions, config: Config) -> Gathered:
    env_names = selected_environments(options.envs, config, options.paths)
    paths = tuple(p for p in options.paths if p != STDIN_ARG)
    piped = load_stdin(config.load_limits) if len(paths) < len(options.paths) else None
    discovery = Discovery([], []) if (options.envs or piped) and not paths else discover(
        paths, config.root, config.include, config.exclude)
    files = discovery.files
    if env_names and not options.paths and not options.envs:  # full run: files apart from envs
        files = outside_environments(files, env_names, config)
    cache = (LoadCache.usable(config.load_limits, files, config.root)
             if cache_enabled(options.cache) else None)
    try:
        result = _check_files(options, config, env_names, discovery, files, cache, piped)
    finally:
        if cache is not None:
            cache.wait()  # its pack may be written in the background
    # The files environments read but that yield no resource of their own (kustomization
    # files, values files) were checked too: count them.
    read = {shown for _, shown in discovery.files}.difference(result.checked)
    if read:
        result = result._replace(checked=tuple(sorted(read.union(result.checked))))
    return result


def _check_files(options: CheckOptions, config: Config, env_names: Sequence[str],
                 discovery: Discovery, files: Sequence[tuple[Path, str]],
                 cache: LoadCache | None, piped: FileResult | None = None) -> Gathered:
    texts: dict[str, str] = {}
    documents, findings = load_files(files, config.load_limits, texts, options.jobs, cache,
                                     lambda: _prepare(options))
    if piped is not None:  # `check -`
        documents.extend(piped.documents)
        findings.extend(piped.findings)
        if piped.text is not None:
            texts[STDIN_PATH] = piped.text
    findings[:0] = discovery.findings  # refused entries (FIFOs, symlinks out of the repo)
    if options.validate_schemas:
        findings.extend(validate_documents(documents, options.schema, config, files))
    renders: dict[str, RenderResult] = {}
    rendered, render_findings = check_environments(
        env_names, config, options.schema, options.validate_schemas, renders)
    documents.extend(rendered)
    findings.extend(render_findings)
    marked_sources(rendered, config.root, texts)
    inactive: frozenset[str] = frozenset()
    tally = None
    if options.evaluate_policies:
        evaluation = per_environment(
            documents, lambda docs: run_policies(docs, options.policy, config))
        findings.extend(evaluation.findings)
        inactive = evaluation.inactive_rules
        tally = evaluation.tally
    disabled = set(options.policy.disabled)
    core_off = disabled & CORE_RULES.keys()
    if core_off:  # builtin.disable also switches off core ids (GG210, ...)
        findings = [f for f in findings if f.rule_id not in core_off]
    findings = without_kinds(findings, options.skip_kinds)
    # Files read through an environment's rendering count as checked too.
    checked = tuple(sorted({shown for _, shown in files} | {
        d.path for d in rendered if d.source_format == "rendered" and not d.path.startswith("/")}
        | ({STDIN_PATH} if piped is not None else set())))
    scope = SuppressScope(
        full_run=not options.paths and not options.envs, checked_paths=checked,
        inactive=lambda rule_id: rule_id in inactive or rule_id in disabled or (
            not options.validate_schemas and rule_id.startswith("GG2")))
    outcome = apply_suppressions(findings, documents, texts, config, scope)
    resources = sum(1 for d in documents if d.is_kubernetes)
    return Gathered(outcome.findings, checked, resources, outcome.usage, inactive, documents,
                    outcome.hidden, tally, MappingProxyType(renders))


def finish_check(gathered: Gathered, baseline: str | None,
                 min_severity: str | None = None) -> CheckResult:
    # Deduplicate first: --write-baseline records the deduplicated findings (one per place,
    # naming every environment), so that is what a baseline must be matched against.
    findings, hidden = dedupe(gathered.findings), 0
    if baseline:
        findings, hidden = apply_baseline(findings, load_baseline(baseline))
    findings.sort(key=Finding.sort_key)
    listed, below = split_by_severity(findings, min_severity)
    return CheckResult(listed, len(gathered.checked), gathered.resources, gathered.checked,
                       baselined=hidden, documents=gathered.documents, unlisted=tuple(below),
                       suppressed=gathered.suppressed, tally=gathered.tally)


def exit_code_for(findings: Sequence[Finding], fail_on: str) -> int:
    if fail_on == "never":
        return 0
    threshold = Severity.parse(fail_on)
    return 1 if any(f.severity >= threshold for f in findings) else 0
