"""Regenerate schemas/crds/: the CRD schemas gitops-guard ships for common GitOps controllers.

    python tools/bundle_crds.py [--mirror /work/.mirror] [--out schemas/crds]

Reads each upstream project's CRD manifests from a Git mirror (`<mirror>/<owner>+<name>/repo`,
as the tool library's `fetch` writes them, or any clone or bare repository at that path:
the files are read at HEAD with `git show`), keeps what validation needs and writes one
JSON file per kind, `schemas/crds/<group>/<kind, lowercase>.json`: a minimal CRD manifest
(metadata.name, spec.group, spec.names.kind, each served version's openAPIV3Schema).

Removed, because validation never reads them: descriptions, examples, defaults, printer
columns, CEL rules (x-kubernetes-validations) and list/map-type markers. The `status` of each
kind becomes an open object (resources in Git rarely carry one, and Argo CD's alone is
larger than the rest of its schema). Every upstream listed here is Apache-2.0 licensed;
schemas/crds/README.md, written alongside, names the repository, tag and commit of each.
Standard library only (the output is plain JSON), so it runs without the package installed.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path
from typing import Any, NamedTuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


class Upstream(NamedTuple):
    repo: str  # owner/name on GitHub
    globs: tuple[str, ...]  # CRD manifests inside it
    # A release that still served the API versions removed since: those versions are taken
    # from it, so a repo written for an older controller is checked against its schema.
    legacy: str | None = None
    license: str = "Apache-2.0"


# Left out on purpose: flux-operator (FluxInstance, ResourceSet) is AGPL-3.0.
_FLUX = ("config/crd/bases/*.yaml",)
UPSTREAMS = (
    # legacy: the Flux 2.6 releases, the last to serve v1beta1/v1beta2 (v2beta1/v2beta2).
    Upstream("fluxcd/source-controller", _FLUX, "v1.6.0"),
    Upstream("fluxcd/kustomize-controller", _FLUX, "v1.6.0"),
    Upstream("fluxcd/helm-controller", _FLUX, "v1.3.0"),
    Upstream("fluxcd/notification-controller", _FLUX, "v1.6.0"),
    Upstream("fluxcd/image-reflector-controller", _FLUX, "v0.35.2"),
    Upstream("fluxcd/image-automation-controller", _FLUX, "v0.41.2"),
    Upstream("fluxcd/source-watcher", ("config/crd/bases/*.yaml",)),
    Upstream("cert-manager/cert-manager", ("deploy/crds/*.yaml",)),
    # The experimental channel is a superset of the standard one: a field only the
    # experimental CRDs have is not reported as unknown to the clusters that install them.
    Upstream("kubernetes-sigs/gateway-api",
             ("config/crd/experimental/gateway.networking.k8s.io_*.yaml",)),
    Upstream("prometheus-operator/kube-prometheus",
             ("manifests/setup/0*CustomResourceDefinition.yaml",)),
    Upstream("argoproj/argo-cd", ("manifests/crds/*-crd.yaml",)),
    Upstream("kyverno/kyverno", ("config/crds/kyverno/kyverno.io_*.yaml",
                                 "config/crds/policies.kyverno.io/*.yaml")),
    Upstream("external-secrets/external-secrets",
             ("config/crds/bases/external-secrets.io_*.yaml",)),
    Upstream("fluxcd/flagger", ("artifacts/flagger/crd.yaml",)),
    Upstream("istio/istio", ("manifests/charts/base/files/crd-all.gen.yaml",)),
)

_DROP = frozenset({
    "description", "example", "examples", "default", "externalDocs", "title",
    "x-kubernetes-validations", "x-kubernetes-list-type", "x-kubernetes-list-map-keys",
    "x-kubernetes-map-type",
})
_SCHEMA_MAPS = ("properties", "patternProperties", "definitions", "$defs")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_SCHEMA_ONE = ("items", "additionalProperties", "not", "additionalItems")
OPEN_STATUS: dict[str, Any] = {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
# The Flux Operator patches these enums of the notification CRDs it installs (a fact of
# its FluxInstance build): Alerts and Receivers may name the operator's own kinds.
_OPERATOR_KINDS = ("FluxInstance", "ResourceSet", "ResourceSetInputProvider")
ENUM_ADDITIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "alerts.notification.toolkit.fluxcd.io": (("spec", "eventSources", "kind"), _OPERATOR_KINDS),
    "receivers.notification.toolkit.fluxcd.io": (("spec", "resources", "kind"), _OPERATOR_KINDS),
}


def strip(node: Any) -> Any:
    """One OpenAPI schema node without the keywords validation ignores."""
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROP:
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: strip(sub) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [strip(sub) for sub in value]
        elif key in _SCHEMA_ONE:
            out[key] = ([strip(sub) for sub in value] if isinstance(value, list)
                        else strip(value))
        else:
            out[key] = value
    return out


def _widen_enum(schema: dict[str, Any], fields: tuple[str, ...], values: tuple[str, ...]) -> None:
    """Add `values` to the enum at `fields` (object properties; list items walked through)."""
    node: Any = schema
    for name in fields:
        while isinstance(node, dict) and node.get("type") == "array":
            node = node.get("items")
        node = node.get("properties", {}).get(name) if isinstance(node, dict) else None
    if isinstance(node, dict) and isinstance(node.get("enum"), list):
        node["enum"] += [v for v in values if v not in node["enum"]]


def minimal_crd(crd: dict[str, Any], source: str) -> dict[str, Any]:
    """The fields gitops-guard's CRD converter reads, with the schemas stripped."""
    spec = crd["spec"]
    versions = []
    for version in spec["versions"]:
        if version.get("served", True) is False:
            continue
        schema = strip(version["schema"]["openAPIV3Schema"])
        if "status" in schema.get("properties", {}):
            schema["properties"]["status"] = dict(OPEN_STATUS)
        if crd["metadata"]["name"] in ENUM_ADDITIONS:
            _widen_enum(schema, *ENUM_ADDITIONS[crd["metadata"]["name"]])
        versions.append({"name": version["name"], "served": True,
                         "schema": {"openAPIV3Schema": schema}})
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": crd["metadata"]["name"],
                     "annotations": {"gitops-guard.io/source": source}},
        "spec": {"group": spec["group"], "names": {"kind": spec["names"]["kind"]},
                 "scope": spec.get("scope", "Namespaced"), "versions": versions},
    }


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True, timeout=120)
    return done.stdout


def _loader() -> Any:
    """PyYAML's safe loader without YAML 1.1's `=` value tag (a plain string to Go's yaml)."""
    import yaml  # PyYAML: a dependency of gitops-guard, so present where this runs

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:value"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    return Loader


def _documents(text: str) -> Iterator[dict[str, Any]]:
    import yaml

    for doc in yaml.load_all(text, Loader=_loader()):  # a SafeLoader subclass
        if isinstance(doc, dict) and doc.get("kind") == "CustomResourceDefinition":
            yield doc


def _crds_at(repo: Path, rev: str, upstream: Upstream, label: str) -> list[dict[str, Any]]:
    paths = [p for p in _git(repo, "ls-tree", "-r", "--name-only", rev).splitlines()
             if any(fnmatch(p, g) for g in upstream.globs)]
    return [minimal_crd(doc, label) for path in paths
            for doc in _documents(_git(repo, "show", f"{rev}:{path}"))]


def _label(repo: Path, rev: str) -> str:
    commit = _git(repo, "rev-parse", f"{rev}^{{commit}}").strip()
    tag = _git(repo, "describe", "--tags", "--always", rev).strip()
    if tag.count("-g") and int(tag.rsplit("-", 2)[-2]) > 500:  # a tag of another branch
        tag = "untagged"
    date = _git(repo, "log", "-1", "--format=%cs", rev).strip()
    return f"{tag} ({commit[:12]}, {date})"


def read_upstream(mirror: Path, upstream: Upstream) -> tuple[str, list[dict[str, Any]]]:
    """(where the CRDs come from, the minimal CRDs) of one upstream at HEAD, with the API
    versions only its `legacy` release serves added from there."""
    repo = mirror / upstream.repo.replace("/", "+") / "repo"
    if not repo.exists():
        raise SystemExit(f"{repo}: missing; fetch {upstream.repo} first")
    label = f"{upstream.repo} {_label(repo, 'HEAD')}"
    crds = _crds_at(repo, "HEAD", upstream, label)
    if not crds:
        raise SystemExit(f"{upstream.repo}: no CRD matches {', '.join(upstream.globs)}")
    if upstream.legacy:
        old_label = _label(repo, upstream.legacy)
        label += f"; older API versions from {old_label}"
        by_name = {crd["metadata"]["name"]: crd for crd in crds}
        for old in _crds_at(repo, upstream.legacy, upstream, f"{upstream.repo} {old_label}"):
            current = by_name.get(old["metadata"]["name"])
            if current is None:
                continue  # a kind since removed altogether stays out
            have = {v["name"] for v in current["spec"]["versions"]}
            current["spec"]["versions"] += [
                v for v in old["spec"]["versions"] if v["name"] not in have]
            current["metadata"]["annotations"]["gitops-guard.io/source"] = label
    return label, crds


def readme(labels: list[tuple[Upstream, str]], groups: dict[str, list[dict[str, Any]]]) -> str:
    lines = [
        "# Bundled CRD schemas",
        "",
        "Generated by `tools/bundle_crds.py`; do not edit by hand. One file per kind,",
        "`<group>/<kind>.json`: a minimal CustomResourceDefinition (each served version's",
        "`openAPIV3Schema`, descriptions, defaults, CEL rules and `status` schemas removed).",
        "`gitops-guard check` uses them for custom resources whose CRD is neither among its",
        "inputs nor in a `--schema-location` (those come first).",
        "",
        "Derived from these projects' CRD manifests, each licensed under the Apache License",
        "2.0 (https://www.apache.org/licenses/LICENSE-2.0):",
        "",
        "| upstream | tag (commit, date) | license |",
        "|---|---|---|",
    ]
    for upstream, label in labels:
        rest = label.partition(" ")[2]
        lines.append(f"| https://github.com/{upstream.repo} | {rest} | {upstream.license} |")
    lines += ["", "| group | kinds |", "|---|---|"]
    for group, crds in sorted(groups.items()):
        kinds = ", ".join(f"{c['spec']['names']['kind']} "
                          f"({'/'.join(v['name'] for v in c['spec']['versions'])})"
                          for c in crds)
        lines.append(f"| {group} | {kinds} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--out", type=Path, default=REPO / "schemas" / "crds")
    args = parser.parse_args(argv)
    groups: dict[str, list[dict[str, Any]]] = {}
    labels: list[tuple[Upstream, str]] = []
    for upstream in UPSTREAMS:
        label, crds = read_upstream(args.mirror, upstream)
        labels.append((upstream, label))
        for crd in crds:
            groups.setdefault(crd["spec"]["group"], []).append(crd)
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("*/*.json"):
        old.unlink()
    total = 0
    for group, crds in groups.items():
        (args.out / group).mkdir(exist_ok=True)
        for crd in crds:
            dest = args.out / group / f"{crd['spec']['names']['kind'].lower()}.json"
            dest.write_text(json.dumps(crd, separators=(",", ":"), sort_keys=True) + "\n",
                            encoding="utf-8")
            total += dest.stat().st_size
    (args.out / "README.md").write_text(readme(labels, groups), encoding="utf-8")
    print(f"wrote {len(groups)} groups, {sum(map(len, groups.values()))} CRDs, "
          f"{total / 1024:.0f} KiB to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
