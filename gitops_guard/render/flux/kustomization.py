"""Flux `Kustomization` (kustomize.toolkit.fluxcd.io): what kustomize-controller applies.

In the controller's order: the source (sources.py: this repository's working tree, or
this repository at another ref from git objects); the kustomization file for
`spec.path` (generator.py: the directory's own or a generated one, with the
Kustomization's fields written in); `kustomize build` with no load restrictor,
confined to the source; `postBuild` substitution per resource (substitute.py); then
`commonMetadata` labels and annotations on every object.

Fields that change nothing the cluster receives (interval, dependsOn, prune, wait,
timeouts, health checks, serviceAccountName, ...) need no render; the few that would
and are not reproduced get a GG104 note naming the field (UNREPRODUCED).
"""
from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from gitops_guard.model import Severity
from gitops_guard.render.findings import RENDER_FAILED, render_finding
from gitops_guard.render.flux import generator
from gitops_guard.render.flux.artifactgenerator import external_artifact
from gitops_guard.render.flux.envsubst_parse import SubstitutionError
from gitops_guard.render.flux.remote_cluster import remote_cluster, sent_to
from gitops_guard.render.flux.sourceignore import SourceIgnore
from gitops_guard.render.flux.sources import SourceTree, git_source
from gitops_guard.render.flux.substitute import check_names, clean_value, substitute
from gitops_guard.render.graph import refused_references
from gitops_guard.render.kustomize import kustomize_build
from gitops_guard.render.resolve import Resolver, name_namespace, path_key, spec_of
from gitops_guard.render.sources import Rendered, as_dict

GROUP_KIND = ("kustomize.toolkit.fluxcd.io", "Kustomization")
# spec fields that change what is applied, and are not reproduced: why, for the GG104 note
UNREPRODUCED = {
    "decryption": "SOPS-encrypted values are checked as committed, not decrypted",
    "kubeConfig": "the objects go to the cluster this kubeconfig names; they are checked "
                  "with this environment, as a unit of their own",
    "buildMetadata": "the origin / transformer annotations kustomize would add are not shown",
    "ignore": "fields these rules exclude from apply still show in the render and plan",
}


# kustomize.toolkit.fluxcd.io/<key> values that keep the controller from applying an object
# (`IfNotPresent`: created once, never updated)
UNAPPLIED = (("kustomize.toolkit.fluxcd.io/reconcile", ("disabled",)),
             ("kustomize.toolkit.fluxcd.io/ssa", ("Ignore", "IfNotPresent")))


def paths(doc: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """The repo path the object syncs (whatever its source: a superset)."""
    yield posixpath.normpath(str(spec_of(doc).get("path") or ".").lstrip("/")) or ".", ""


def render(resolver: Resolver, item: Rendered, depth: int) -> None:
    spec = spec_of(item.data)
    name, namespace = name_namespace(item.data)
    ref = as_dict(spec.get("sourceRef"))
    source = external_artifact(resolver, item, ref, namespace) if ref.get(
        "kind") == "ExternalArtifact" else git_source(resolver, ref, namespace)
    if isinstance(source, str):
        resolver.skip(item, source)
        return
    path = posixpath.normpath(str(spec.get("path") or ".").lstrip("/")) or "."
    at = f" at {source.ref}" if source.ref else ""
    if path.startswith("..") or not (source.root / path).is_dir():
        resolver.missing(item, f"Kustomization {name}: spec.path {spec.get('path')} does not "
                         f"exist{at}")
        return
    if not resolver.confined(path, f"Kustomization {name}: spec.path", source.root,
                             item=item):
        return
    options = {k: spec[k] for k in (*generator.OVERLAY_FIELDS, "postBuild", "commonMetadata")
               if k in spec and k != "targetNamespace"}
    where = f"{source.ref}:{path}" if source.ref else path
    if not resolver.enter(path_key(where, options, spec.get("targetNamespace")), item, depth):
        return  # the same path rendered the same way already (e.g. flux-system itself)
    for field, why in UNREPRODUCED.items():
        if spec.get(field):
            resolver.note(item, f"spec.{field} is not reproduced: {why}")
    if spec.get("suspend") is True:
        resolver.note(item, "spec.suspend is true: the controller applies nothing until it "
                      "is resumed; rendered as if resumed")
    rendered = _build(resolver, item, source, path, spec)
    if rendered is None:
        return
    post = as_dict(spec.get("postBuild"))
    if "postBuild" in spec:
        try:
            rendered = _substituted(resolver, item, rendered, post, namespace)
        except SubstitutionError as exc:
            _failed(resolver, item, f"post build failed: {exc}")
            return
    _common_metadata(rendered, as_dict(spec.get("commonMetadata")))
    _note_unapplied(resolver, item, rendered)
    if not source.in_repo:
        rendered = [_relocated(r, source, item) for r in rendered]
    resolver.add(sent_to(rendered, remote_cluster(spec, namespace, item)), depth + 1)


def _relocated(r: Rendered, source: SourceTree, item: Rendered) -> Rendered:
    """A resource built from a tree outside the working tree, pointed at repo files when
    the tree was staged from them, else at the object that applies it."""
    files = source.files or {}
    if r.source in files:
        patches = tuple(replace(p, file=files[p.file]) for p in r.patches if p.file in files)
        return Rendered(r.data, files[r.source], r.source_doc, r.line, patches)
    return Rendered(r.data, item.source, item.source_doc, item.line)


def _failed(resolver: Resolver, item: Rendered, message: str) -> None:
    path, line = resolver.where(item)
    name = name_namespace(item.data)[0]
    resolver.fail_object(item)
    resolver.findings.append(render_finding(
        RENDER_FAILED, f"Kustomization {name}: {message} (kustomize-controller would apply "
        "nothing)", path, line, 1, resolver.env, Severity.ERROR))


def _build(resolver: Resolver, item: Rendered, source: SourceTree, path: str,
           spec: dict[str, Any]) -> list[Rendered] | None:
    folder = source.root / path
    try:
        generated = generator.kustomization_for(
            folder, source.root, spec, SourceIgnore(source.root, source.ignore))
    except generator.GeneratorError as exc:
        _failed(resolver, item, str(exc))
        return None
    outside = refused_references(path, source.root, resolver.load_restrictor_none)
    for component in spec.get("components") or ():
        target = (folder / str(component)).resolve()
        if not target.is_relative_to(source.root.resolve()):
            outside.append((f"{item.source or path} (spec.components)", str(component)))
    items, findings = kustomize_build(path, source.root, resolver.env, outside, True,
                                      generated.text if generated else None,
                                      limits=resolver.limits)
    if generated is not None and generated.generated and any(
            f.severity == Severity.ERROR for f in findings):
        problem = generator.undecodable(generated, folder, source.root)
        if problem is not None:  # the controller fails before kustomize runs: its message
            _failed(resolver, item, problem)
            return None
    if not source.in_repo:
        findings = [render_finding(f.rule_id, f"{f.message} (at {source.ref})",
                                   *resolver.where(item), 1, resolver.env, f.severity)
                    for f in findings]
    resolver.findings.extend(findings)
    if findings:  # failed or refused: the controller applies (and prunes) nothing
        if source.in_repo:
            resolver.fail(path)
        elif source.files:
            resolver.fail_staged(path, source.root, source.files)
        else:
            resolver.fail_object(item)
    if any(f.severity == Severity.ERROR for f in findings):
        return None
    return items


def _variables(resolver: Resolver, item: Rendered, post: dict[str, Any], namespace: str
               ) -> dict[str, str]:
    variables: dict[str, str] = {}
    for ref in post.get("substituteFrom") or ():
        if not isinstance(ref, dict):
            continue
        kind, name = ref.get("kind", "ConfigMap"), str(ref.get("name", ""))
        if kind != "ConfigMap":
            resolver.note(item, f"postBuild.substituteFrom {kind}/{name} is not read (secret "
                          "values never are): its variables are unset here")
            continue
        found = resolver.find("ConfigMap", name, namespace)
        if found is None:
            if not ref.get("optional"):
                resolver.missing(item, f"substituteFrom ConfigMap {name} is not in the "
                                 "rendered resources (the controller would fail)")
            continue
        data = as_dict(found.get("data"))
        variables.update({str(k): clean_value(v) for k, v in data.items()})
    substitute_map = as_dict(post.get("substitute"))
    variables.update({str(k): clean_value(v) for k, v in substitute_map.items()})
    return variables


def _substituted(resolver: Resolver, item: Rendered, rendered: list[Rendered],
                 post: dict[str, Any], namespace: str) -> list[Rendered]:
    variables = _variables(resolver, item, post, namespace)
    check_names(variables)
    if not variables and post.get("substituteStrategy") != "Always":
        return rendered  # the controller substitutes only when there is a variable
    return [Rendered(substitute(r.data, variables), r.source, r.source_doc, r.line, r.patches)
            for r in rendered]


def _note_unapplied(resolver: Resolver, item: Rendered, rendered: list[Rendered]) -> None:
    """Objects the controller's apply leaves alone (labels or annotations, as its
    ExclusionSelector / IfNotPresentSelector match them): rendered and checked, but a
    change to them does not deploy."""
    held = []
    for r in rendered:
        meta = as_dict(r.data.get("metadata")) if isinstance(r.data, dict) else {}
        marks = {**as_dict(meta.get("labels")), **as_dict(meta.get("annotations"))}
        value = next((f"{key.rsplit('/', 1)[1]}: {marks[key]}" for key, wanted in UNAPPLIED
                      if str(marks.get(key, "")) in wanted), None)
        if value is not None:
            held.append(f"{r.data.get('kind')} {name_namespace(r.data)[0]} ({value})")
    if held:
        shown = ", ".join(held[:3]) + (f" and {len(held) - 3} more" if len(held) > 3 else "")
        resolver.note(item, f"the controller does not apply {shown}: checked here, but "
                      "changes to them do not deploy")


def _common_metadata(rendered: list[Rendered], common: dict[str, Any]) -> None:
    for key in ("labels", "annotations"):
        extra = {str(k): str(v) for k, v in as_dict(common.get(key)).items()}
        if not extra:
            continue
        for r in rendered:
            meta = r.data.get("metadata") if isinstance(r.data, dict) else None
            if isinstance(meta, dict):
                meta[key] = {**as_dict(meta.get(key)), **extra}
