"""What a kustomize build that did not run, or failed, says: one finding at the file to fix.

kustomize_build runs kustomize on a one-line wrapper kustomization (render/kustomize.py);
its errors name the wrapper's temp dir and the relative path from it to the target, and
wrap the target's own error in a layer of their own ("'app' must resolve to a file":
recursed accumulation of path 'app'). Both are taken out, so the message reads as
`kustomize build TARGET` would say it and is the same on every run.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from gitops_guard.load.datafiles import KUSTOMIZATION_FILES, kustomization_file
from gitops_guard.model import Finding, Severity
from gitops_guard.render.findings import RENDER_FAILED, SOURCE_SKIPPED, render_finding
from gitops_guard.render.secret_values import scrub, secret_values

_PATH_IN_ERROR = re.compile(r"(/[^\s'\"]+\.ya?ml|[\w./-]+\.ya?ml)")
# the wrapper's own layer around the target's error
_WRAPPER_LAYER = re.compile(
    r"accumulating resources: accumulation err='accumulating resources from '[^']*': "
    r"'[^']*' must resolve to a file': recursed accumulation of path '[^']*': ")


def remote_refused(remote: Sequence[tuple[str, str]], env: str | None) -> Finding:
    """Refused before kustomize runs: `check`, the hook and `ci` make no network call."""
    where, ref = remote[0]
    more = f" (and {len(remote) - 1} more)" if len(remote) > 1 else ""
    return render_finding(SOURCE_SKIPPED, f"not rendered: {where} names the remote resource "
                          f"{ref}{more}; kustomize would fetch it over the network, which "
                          "gitops-guard never does: vendor it into the repository",
                          where, 1, 1, env=env, severity=Severity.WARNING)


def outside_refused(outside: Sequence[tuple[str, str]], env: str | None) -> Finding:
    """Kustomize's load restrictor refuses files outside a kustomization's root but not
    directories (each is a root of its own), so `resources: [../../../elsewhere]` would
    read another checkout on the CI runner. Refused before kustomize runs; the
    environment's `load_restrictor: none` turns this off together with kustomize's own.
    """
    where, ref = outside[0]
    more = f" (and {len(outside) - 1} more)" if len(outside) > 1 else ""
    return render_finding(RENDER_FAILED, f"kustomize build refused: {where} refers to {ref}, "
                          f"outside the repository{more}; nothing outside the repository is "
                          "read (set the environment's load_restrictor: none to allow it)",
                          where, 1, env=env)


def build_error(stderr: str, wrapper: str, absolute: Path, target: str, root: Path,
                env: str | None, relative: str = "") -> Finding:
    """kustomize's failure as a finding at the file to fix, in the words kustomize uses
    for the target itself (the wrapper's layer and scratch paths taken out)."""
    if relative:
        stderr = stderr.replace(relative, target)
    text = stderr.replace(wrapper + "/", "").replace(wrapper, target)
    text = _WRAPPER_LAYER.sub("", text, count=1)
    text = text.replace(str(root) + "/", "").strip()
    text = scrub(text, secret_values(root, KUSTOMIZATION_FILES))  # it quotes literals
    message = "kustomize build failed: " + error_text(text)
    severity = Severity.ERROR
    rule = RENDER_FAILED
    if _NEEDS_HELM in text:  # helmCharts: Argo CD inflates them with --enable-helm
        rule, severity = SOURCE_SKIPPED, Severity.INFO
        message = ("not rendered: the kustomization inflates Helm charts (`helmCharts`), "
                   "which needs `--enable-helm` and a chart download: Argo CD builds it "
                   "with `kustomize.buildOptions: --enable-helm`, gitops-guard renders "
                   "offline and does not")
    where = kustomization_file(absolute)
    path = (where or absolute).relative_to(root).as_posix() if (where or absolute).is_relative_to(
        root) else target
    line, column = (1, 1) if path.endswith(KUSTOMIZATION_FILES) else (0, 0)
    path, line, column = _file_to_fix(text, root) or (path, line, column)
    return render_finding(rule, message, path, line, column, env=env, severity=severity)


def _file_to_fix(text: str, root: Path) -> tuple[str, int, int] | None:
    """The repo file kustomize's error names: the first that exists, else the kustomization
    file listing a missing one (`base/gone.yaml` missing: `base/kustomization.yaml`, at the
    entry naming it)."""
    named = [(root / m.group(1)).resolve() if not m.group(1).startswith("/")
             else Path(m.group(1)) for m in _PATH_IN_ERROR.finditer(text)]
    for candidate in named:
        if candidate.is_file() and candidate.is_relative_to(root):
            return candidate.relative_to(root).as_posix(), 0, 0
    for candidate in sorted(named, key=lambda c: -len(c.parts)):  # the most specific first
        lister = kustomization_file(candidate.parent) if candidate.parent.is_relative_to(
            root) else None
        if lister is not None:
            return (lister.relative_to(root).as_posix(),
                    *_entry_position(lister, candidate.name))
    return None


def _entry_position(kustomization: Path, name: str) -> tuple[int, int]:
    """Line and column of the first mention of `name` in the file (1, 1 when none)."""
    try:
        lines = kustomization.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return 1, 1
    for number, text in enumerate(lines, 1):
        column = text.find(name)
        if column >= 0 and not text.lstrip().startswith("#"):
            return number, column + 1
    return 1, 1


_NEEDS_HELM = "must specify --enable-helm"
# `kubectl kustomize` logs through klog: `E1203 ... "command failed" err=<`, the error's
# lines indented by a tab, then ` >`.
_KLOG_BLOCK = re.compile(r'err=<\n((?:\t.*\n?)+)\s*>\s*$', re.MULTILINE)
_KLOG_LINE = re.compile(r'^[EFWI]\d{4} [\d:.]+\s+\d+ [^\]]+\] "command failed" err="(.*)"$')


def error_text(text: str) -> str:
    """kustomize's error, on one line: its last line, or kubectl's klog error block."""
    block = _KLOG_BLOCK.search(text)
    if block:
        return " ".join(" ".join(block.group(1).split()).split())
    lines = [ln for ln in text.splitlines() if ln.strip()]
    last = lines[-1].strip() if lines else "no output"
    klog = _KLOG_LINE.match(last)
    return klog.group(1).replace('\\"', '"') if klog else last
