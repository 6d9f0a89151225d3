"""Helm: `helm template` when on PATH, else helm-python-sdk in a child process
(helm_sdk.py); both bounded alike (bounded.py); CRDs included.

A missing dependency or a template error is a finding at the chart file and line
Helm names, never a silently dropped chart.
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import re
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from gitops_guard.errors import ToolMissingError
from gitops_guard.load.base import LoadLimits
from gitops_guard.load.yaml import load_yaml
from gitops_guard.model import Finding, Severity
from gitops_guard.render import helm_sdk
from gitops_guard.render.bounded import limit_finding
from gitops_guard.render.confine import escape, refused
from gitops_guard.render.findings import (
    HELM_LOOKUP,
    HELM_MISSING_DEPENDENCY,
    HELM_TEMPLATE_ERROR,
    REFERENCE_NOT_FOUND,
    render_finding,
    timeout_finding,
)
from gitops_guard.render.secret_values import environment_secrets, scrub, secret_leaves
from gitops_guard.render.sources import Rendered, SourceFiles
from gitops_guard.render.tools import ToolRun, run_tool
from gitops_guard.scratch import scratch_dir

HELM_HINT = ("install helm (https://helm.sh/docs/intro/install/) or the extra "
             "`pip install 'gitops-guard[helm]'`")
# "template: c/templates/x.yaml:12:3: executing", "parse error at (c/templates/x.yaml:5)"
_TEMPLATE_AT = re.compile(r"([\w.+-]+(?:/[\w.+-]+)*?/(?:templates|charts|crds)/[^\s:()]+)"
                          r":(\d+)(?::(\d+))?")
_SOURCE = re.compile(r"^# Source: (.+)$", re.MULTILINE)
_LOOKUP = re.compile(r"\{\{-?[^}]*?\blookup\s+\"")
_LIMITS = LoadLimits(max_file_bytes=1 << 30)


def deep_merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Helm's values coalescing: maps merge key by key, anything else is replaced."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def load_values(paths: Sequence[str], root: Path, env: str | None, where: str
                ) -> tuple[dict[str, Any], list[Finding]]:
    merged: dict[str, Any] = {}
    findings: list[Finding] = []
    for path in paths:
        outside = escape(root, path)
        if outside:
            findings.append(refused(outside, f"values file {path}", where, 0, env))
            continue
        try:
            data = (root / path).read_bytes()
        except OSError:
            findings.append(render_finding(REFERENCE_NOT_FOUND, f"values file {path} not found",
                                           where, env=env))
            continue
        result = load_yaml(data, path, _LIMITS)
        findings.extend(result.findings)
        for doc in result.documents:
            if isinstance(doc.data, dict):
                merged = deep_merge(merged, doc.data)
    return merged, findings


def render_chart(chart: str, root: Path, env: str | None, *, release: str, namespace: str,
                 values: Mapping[str, Any]) -> tuple[list[Rendered], list[Finding]]:
    """Render the chart at repo-relative dir `chart` with fully merged user `values`."""
    outside = escape(root, chart)
    if outside:  # a symlink in the chart would reach .Files.Get
        return [], [refused(outside, f"chart {chart}", f"{chart}/Chart.yaml", 0, env)]
    chart_dir = (root / chart).resolve()
    missing = _missing_dependencies(chart, chart_dir, root, env)
    if missing:
        return [], missing
    if shutil.which("helm"):
        items, findings = _with_binary(chart, chart_dir, env, release, namespace, values)
    else:
        items, findings = _with_sdk(chart, chart_dir, env, release, namespace, values)
    return items, [*_scrubbed(findings, chart_dir, values), *_lookups(chart, chart_dir, env)]


def _scrubbed(findings: list[Finding], chart_dir: Path, values: Mapping[str, Any]
              ) -> list[Finding]:
    """GG102 messages quote Helm, which quotes values: secret ones become <redacted>."""
    if not any(f.rule_id == HELM_TEMPLATE_ERROR for f in findings):
        return findings
    defaults: Any = {}
    with contextlib.suppress(OSError):
        docs = load_yaml((chart_dir / "values.yaml").read_bytes(), "values.yaml", _LIMITS)
        defaults = docs.documents[0].data if docs.documents else {}
    known = secret_leaves(values) | secret_leaves(defaults) | environment_secrets()
    return [dataclasses.replace(f, message=scrub(f.message, known))
            if f.rule_id == HELM_TEMPLATE_ERROR else f for f in findings]


def _lookups(chart: str, chart_dir: Path, env: str | None) -> list[Finding]:
    """GG108 where a template calls `lookup`: rendered offline it finds nothing, so what
    the cluster gets may differ from the plan (and nothing is read from any cluster)."""
    out: list[Finding] = []
    templates = chart_dir / "templates"
    if not templates.is_dir():
        return out
    for path in sorted(templates.rglob("*")):
        if not path.is_file() or path.is_symlink() or path.stat().st_size > 1 << 20:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        match = _LOOKUP.search(text)
        if match:
            line = text.count("\n", 0, match.start()) + 1
            out.append(render_finding(
                HELM_LOOKUP, "template calls `lookup`, which finds nothing when rendered "
                "offline: the cluster may get something else than this plan shows",
                f"{chart}/{path.relative_to(chart_dir).as_posix()}", line, 0, env,
                Severity.WARNING))
    return out


def _missing_dependencies(chart: str, chart_dir: Path, root: Path, env: str | None
                          ) -> list[Finding]:
    files = SourceFiles(root)
    meta_path = f"{chart}/Chart.yaml"
    docs = files.documents(meta_path)
    meta = docs[0].data if docs and isinstance(docs[0].data, dict) else {}
    findings: list[Finding] = []
    for i, dep in enumerate(meta.get("dependencies") or ()):
        if not isinstance(dep, dict) or not isinstance(dep.get("name"), str):
            continue
        if str(dep.get("repository", "")).startswith("file://"):
            local = (chart_dir / str(dep["repository"])[7:]).resolve()
            if (local / "Chart.yaml").is_file():
                continue
        charts = chart_dir / "charts"
        present = (charts / dep["name"]).is_dir() or any(charts.glob(f"{dep['name']}-*.tgz"))
        if not present:
            line, column = docs[0].positions.locate(("dependencies", i, "name"))
            findings.append(_missing(dep, meta_path, line, column, env))
    return findings


_REMOTE = ("https://", "http://", "oci://", "@", "alias:")


def _missing(dep: dict[str, Any], meta_path: str, line: int, column: int, env: str | None
             ) -> Finding:
    """A dependency from a chart repository is fetched by whoever builds the chart (Argo
    CD's repo-server and Flux's source-controller run `helm dependency build`): not a
    broken chart, one gitops-guard does not render offline. One with no repository, or a
    `file://` path that is not there, cannot be built by anyone."""
    repository = str(dep.get("repository") or "")
    where = f"chart dependency {dep['name']!r} ({repository or 'no repository'})"
    if repository.startswith(_REMOTE):
        return render_finding(
            HELM_MISSING_DEPENDENCY, f"not rendered: {where} is not vendored in charts/; "
            "Argo CD and Flux fetch it when they build the chart, gitops-guard renders "
            "offline: run `helm dependency build` (or commit charts/) to have this chart "
            "checked", meta_path, line, column, env, Severity.INFO)
    return render_finding(
        HELM_MISSING_DEPENDENCY, f"{where} is declared in Chart.yaml but missing from "
        "charts/; run `helm dependency build` and commit charts/ (or vendor it), else the "
        "chart cannot render", meta_path, line, column, env)


def template_error(message: str, chart: str, env: str | None) -> Finding:
    """A finding at the chart file and line that Helm's error names."""
    match = _TEMPLATE_AT.search(message)
    text = " ".join(message.split())
    if match:
        inner = match.group(1).split("/", 1)[1]  # drop the chart name Helm prefixes
        return render_finding(HELM_TEMPLATE_ERROR, f"helm template failed: {text}",
                              f"{chart}/{inner}", int(match.group(2)),
                              int(match.group(3) or 0), env)
    return render_finding(HELM_TEMPLATE_ERROR, f"helm template failed: {text}",
                          f"{chart}/Chart.yaml", 1, 0, env)


class _Manifests:
    """The rendered manifests of one chart, split into objects. Like Helm, a manifest that
    is not valid YAML fails the whole chart (`YAML parse error on <template>`)."""

    def __init__(self, chart: str, env: str | None) -> None:
        self.chart, self.env = chart, env
        self.items: list[Rendered] = []
        self.errors: list[Finding] = []

    def add(self, text: str, source: str) -> None:
        inner = source.split("/", 1)[1] if "/" in source else source
        path = f"{self.chart}/{inner}"
        result = load_yaml(text.encode(), path, _LIMITS)
        broken = [f for f in result.findings if f.severity is Severity.ERROR]
        if broken and not self.errors:
            self.errors.append(render_finding(
                HELM_TEMPLATE_ERROR, f"helm template failed: YAML parse error on {path} "
                f"(line {broken[0].location.line} of its rendered output): "
                f"{broken[0].message}", path, 1, 0, self.env))
        self.items.extend(Rendered(d.data, path, None, 1) for d in result.documents
                          if d.data is not None)

    def result(self) -> tuple[list[Rendered], list[Finding]]:
        return ([], self.errors) if self.errors else (self.items, [])


def _with_sdk(chart: str, chart_dir: Path, env: str | None, release: str, namespace: str,
              values: Mapping[str, Any]) -> tuple[list[Rendered], list[Finding]]:
    if not helm_sdk.available():
        raise ToolMissingError("helm (the binary or the helm-python-sdk package)", HELM_HINT,
                               package=True)
    with scratch_dir("helm") as tmp:
        done = helm_sdk.render_sdk(chart_dir, release, namespace, values, tmp)
    failed = _failed(done.run, chart, env)
    if failed:
        return [], [failed]
    if done.error is not None:
        return [], [template_error(done.error, chart, env)]
    crash = done.crash()
    if crash is not None:
        return [], [render_finding(HELM_TEMPLATE_ERROR, f"chart {chart} did not render: {crash}",
                                   f"{chart}/Chart.yaml", 1, 0, env)]
    out = _Manifests(chart, env)
    for crd in done.crds:
        out.add(crd["data"], crd["filename"])
    for source in sorted(done.manifests):
        if source.endswith("NOTES.txt"):
            continue
        out.add(done.manifests[source], source)
    return out.result()


def _failed(run: ToolRun, chart: str, env: str | None) -> Finding | None:
    """GG107 for a timeout, GG121 for a memory / CPU limit hit, else None."""
    if run.timed_out:
        return timeout_finding("helm", f"chart {chart}", run.seconds, f"{chart}/Chart.yaml", env)
    if run.over_limit:
        return limit_finding("helm", f"chart {chart}", f"{chart}/Chart.yaml", env)
    return None


def _with_binary(chart: str, chart_dir: Path, env: str | None, release: str, namespace: str,
                 values: Mapping[str, Any]) -> tuple[list[Rendered], list[Finding]]:
    with scratch_dir("helm") as tmp:
        values_file = tmp / "values.json"
        values_file.write_text(json.dumps(dict(values)), encoding="utf-8")
        run = run_tool(["helm", "template", release, str(chart_dir), "--namespace", namespace,
                        "--include-crds", "--values", str(values_file)])
    failed = _failed(run, chart, env)
    if failed:
        return [], [failed]
    if run.returncode != 0:
        return [], [template_error(run.stderr, chart, env)]
    out = _Manifests(chart, env)
    for part in re.split(r"^---\s*$", run.stdout, flags=re.MULTILINE):
        found = _SOURCE.search(part)
        if found and part.strip():
            out.add(part, found.group(1).strip())
    return out.result()
