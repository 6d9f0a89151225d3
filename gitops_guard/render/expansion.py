"""GG122: a file kustomize would read expands past the load limits; it is not run.

kustomize (and so kustomize-controller's generated kustomization of a plain dir) expands
YAML aliases when it prints what it built: one 8 MiB string aliased 100,000 times is
9.7 MB of file and 800 GB of output, which would run kustomize into its memory limit
(GG121) after minutes. Before kustomize runs, each YAML file it would read (the
kustomize graph of the target: kustomization files and the dirs they take whole) that
has an anchor and an alias is measured as load/yaml_budget.py measures it, with the
run's load limits (config `load_limits`: under `--trusted-ref`, the trusted ref's); one
over them refuses the build with a GG122 at the file and line.
Files without an anchor and an alias cost one read each and are never parsed here.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml

from gitops_guard.load.base import LoadLimits
from gitops_guard.load.yaml_budget import Budget, TooLarge, may_expand
from gitops_guard.model import Finding
from gitops_guard.render.findings import EXPANDS_TOO_FAR, render_finding
from gitops_guard.render.graph import environment_graph

_SUFFIXES = (".yaml", ".yml", ".json")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_FILES = 20_000  # files measured per build: a huge tree stays a bounded read


def _inputs(target: str, root: Path) -> Iterator[Path]:
    reads = environment_graph(target, "kustomize", (), root, {})
    seen = 0
    for rel in sorted(reads.files):
        yield root / rel
    for tree in sorted(reads.trees):
        for path in sorted((root / tree).rglob("*")):
            seen += 1
            if seen > MAX_FILES:
                return
            if path.suffix in _SUFFIXES and path.is_file() and not path.is_symlink():
                yield path


def _over(path: Path, limits: LoadLimits) -> TooLarge | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if len(data) > limits.max_file_bytes or not may_expand(data):
        return None  # too big: the load stage says so (GG004); kustomize may still fail
    loader = _LOADER(data)
    budget = Budget(limits)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                budget.spend(node)
    except TooLarge as exc:
        return exc
    except (yaml.YAMLError, RecursionError, ValueError):
        return None  # kustomize reports the syntax error itself
    finally:
        loader.dispose()
    return None


def expansion_findings(target: str, root: Path, env: str | None, limits: LoadLimits
                       ) -> list[Finding]:
    """GG122 for each file under kustomize dir `target` that expands past `limits`."""
    out: list[Finding] = []
    for path in _inputs(target, root):
        found = _over(path, limits)
        if found is not None:
            shown = path.relative_to(root).as_posix()
            mark = found.node.start_mark
            out.append(render_finding(
                EXPANDS_TOO_FAR, f"kustomize build of {target} refused: {shown}: {found}",
                shown, mark.line + 1, mark.column + 1, env))
    return out
