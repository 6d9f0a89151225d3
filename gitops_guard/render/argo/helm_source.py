"""A Helm source as the repo-server templates it (helmTemplate).

Values, in Helm's order of precedence (lowest first): `valueFiles` in order (relative
to the source path, `$ref/...` from a `ref` source of this repository, globs expanded
sorted), then `valuesObject` (or, when unset, `values`) as one more values file,
then `parameters` (`--set`, or `--set-string` with forceString) and `fileParameters`
(`--set-file`: the file's text). Release name: `releaseName`, else the Application
name; namespace: `helm.namespace`, else `destination.namespace`. `skipCrds` drops
the chart's `crds/` files. Parameter values and file paths go through Envsubst.
"""
from __future__ import annotations

import glob
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gitops_guard.model import Finding
from gitops_guard.render.argo.env import envsubst
from gitops_guard.render.helm import deep_merge, load_values
from gitops_guard.render.sources import Rendered, as_dict
from gitops_guard.render.values import set_value, yaml_values

# `helm` fields that change nothing rendered offline, or are not reproduced (why).
NOT_REPRODUCED = {
    "kubeVersion": "templates see the default Kubernetes version (.Capabilities)",
    "apiVersions": "templates see the default API versions (.Capabilities)",
    "skipTests": "test hooks are rendered as Helm's default does",
    "skipSchemaValidation": "values.schema.json is checked as Helm's default does",
}


@dataclass
class HelmInputs:
    values: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    unavailable: list[str] = field(default_factory=list)  # why a value source is not read


@dataclass(frozen=True)
class RefRoots:
    """`ref` sources of a multi-source Application: ref name -> repo root (None: remote)."""

    roots: Mapping[str, Path | None]

    def resolve(self, raw: str) -> tuple[Path | None, str] | str:
        """(root, repo-relative path) for `$ref/path`, or why it cannot be read."""
        ref, _, rest = raw[1:].partition("/")
        if ref not in self.roots:
            return f"value file {raw}: no source has ref {ref}"
        root = self.roots[ref]
        if root is None:
            return f"value file {raw}: source ref {ref} is another repository"
        return root, posixpath.normpath(rest)


def _expand(root: Path, rel: str) -> list[str]:
    if not any(c in rel for c in "*?["):
        return [rel]
    matches = sorted(glob.glob(rel, root_dir=root, recursive=True))
    return [m for m in matches if (root / m).is_file()]


def value_files(helm: dict[str, Any], app_path: str, root: Path, refs: RefRoots,
                env: Mapping[str, str], where: str, env_name: str | None) -> HelmInputs:
    out = HelmInputs()
    ignore_missing = bool(helm.get("ignoreMissingValueFiles"))
    for entry in helm.get("valueFiles") or ():
        raw = str(entry)
        if raw.startswith("$"):
            resolved = refs.resolve(raw)
            if isinstance(resolved, str):
                out.unavailable.append(resolved)
                continue
            base, rel = resolved
            if base is None:
                continue
            rel = envsubst(rel, env)
        elif "://" in raw:
            out.unavailable.append(f"value file {raw} is fetched over the network")
            continue
        else:
            base, rel = root, posixpath.normpath(posixpath.join(app_path, envsubst(raw, env)))
        if rel.startswith(".."):
            out.unavailable.append(f"value file {raw} is outside the repository")
            continue
        files = _expand(base, rel)
        if not files and ignore_missing:
            continue
        existing = [f for f in files if (base / f).is_file()]
        if ignore_missing:
            files = existing
        values, findings = load_values(files, base, env_name, where)
        out.values = deep_merge(out.values, values)
        out.findings.extend(findings)
    return out


def inline_values(helm: dict[str, Any], values: dict[str, Any], root: Path, app_path: str,
                  env: Mapping[str, str]) -> tuple[dict[str, Any], list[Finding]]:
    """`valuesObject` / `values`, then `parameters` and `fileParameters`, over `values`."""
    findings: list[Finding] = []
    if isinstance(helm.get("valuesObject"), dict):
        values = deep_merge(values, helm["valuesObject"])
    elif isinstance(helm.get("values"), str) and helm["values"].strip():
        loaded, findings = yaml_values(helm["values"])
        values = deep_merge(values, loaded)
    elif isinstance(helm.get("values"), dict):  # older Argo CD accepted a mapping here too
        values = deep_merge(values, helm["values"])
    for param in helm.get("parameters") or ():
        if isinstance(param, dict) and param.get("name"):
            values = deep_merge(values, set_value(str(param["name"]),
                                                  envsubst(str(param.get("value", "")), env),
                                                  bool(param.get("forceString"))))
    for param in helm.get("fileParameters") or ():
        if isinstance(param, dict) and param.get("name") and param.get("path"):
            file = (root / app_path / envsubst(str(param["path"]), env)).resolve()
            if file.is_relative_to(root.resolve()) and file.is_file():
                text = file.read_text(encoding="utf-8", errors="replace")
                values = deep_merge(values, set_value(str(param["name"]), text, True))
    return values, findings


def without_crds(items: list[Rendered], chart: str) -> list[Rendered]:
    """`skipCrds`: what `helm template --skip-crds` leaves out (the chart's crds/ dir)."""
    prefix = f"{chart.rstrip('/')}/crds/" if chart not in ("", ".") else "crds/"
    return [i for i in items if not i.source.startswith(prefix)]


def release_and_namespace(helm: dict[str, Any], app_name: str, destination: str
                          ) -> tuple[str, str]:
    return (str(helm.get("releaseName") or app_name),
            str(helm.get("namespace") or destination or "default"))


def unreproduced(helm: dict[str, Any]) -> list[str]:
    return [f"helm.{k} is not reproduced: {why}" for k, why in NOT_REPRODUCED.items()
            if as_dict(helm).get(k)]
