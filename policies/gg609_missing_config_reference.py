"""GG609: ConfigMaps and Secrets a workload needs should be in the input."""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from gitops_guard.evaluate.api import (
    POD_TEMPLATE_PATHS,
    RuleContext,
    Violation,
    containers_of,
    pod_spec_of,
    rule,
)
from gitops_guard.evaluate.secret_refs import kustomization_outputs, provided_objects
from gitops_guard.model import Document, FieldPath

AUTO_CONFIGMAPS = frozenset({"kube-root-ca.crt"})  # created in every namespace


def _refs(doc: Document) -> Iterator[tuple[str, str, FieldPath]]:
    """(kind, name, path) of every non-optional ConfigMap/Secret reference of a workload."""
    found = pod_spec_of(doc.data)
    if found is None:
        return
    spec_path, spec = found
    for i, vol in enumerate(spec.get("volumes") or ()):
        if not isinstance(vol, dict):
            continue
        for field, kind, key in (("configMap", "ConfigMap", "name"),
                                 ("secret", "Secret", "secretName")):
            src = vol.get(field)
            if isinstance(src, dict) and src.get(key) and not src.get("optional"):
                yield kind, str(src[key]), (*spec_path, "volumes", i, field, key)
    for path, container in containers_of(doc.data):
        for i, env in enumerate(container.get("env") or ()):
            ref = env.get("valueFrom") if isinstance(env, dict) else None
            for field, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                src = ref.get(field) if isinstance(ref, dict) else None
                if isinstance(src, dict) and src.get("name") and not src.get("optional"):
                    yield kind, str(src["name"]), (*path, "env", i, "valueFrom", field, "name")
        for i, env in enumerate(container.get("envFrom") or ()):
            for field, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                src = env.get(field) if isinstance(env, dict) else None
                if isinstance(src, dict) and src.get("name") and not src.get("optional"):
                    yield kind, str(src["name"]), (*path, "envFrom", i, field, "name")


@rule(
    id="GG609",
    severity="info",
    title="Referenced ConfigMap or Secret not in the input",
    why="A pod that mounts or reads a missing ConfigMap or Secret never starts "
        "(CreateContainerConfigError), usually after a rename on one side only.",
    fix="Fix the name, add the object, or mark the reference `optional: true`.",
    scope="all",
    example="envFrom:\n  - configMapRef: {name: web-settings}",
    doc_url="https://kubernetes.io/docs/concepts/configuration/configmap/",
)
def missing_config_reference(
    documents: Sequence[Document], ctx: RuleContext,
) -> Iterator[Violation]:
    provided: set[tuple[str, str, str]] = set()
    kinds_seen: set[tuple[str, str]] = set()
    anywhere: set[tuple[str, str]] = set()
    workloads: list[Document] = []
    for doc in documents:
        generated = kustomization_outputs(doc)
        if generated is not None:
            # A kustomize generator's output lands in whatever namespace the build sets;
            # it vouches for its own names only, not for the rest of a namespace.
            anywhere.update(generated)
            continue
        key = doc.resource
        if key is None:
            continue
        if key.kind in POD_TEMPLATE_PATHS:
            workloads.append(doc)
            continue
        for kind, name in provided_objects(doc.data):
            provided.add((key.namespace, kind, name))
            kinds_seen.add((key.namespace, kind))
    for doc in workloads:
        ns = doc.resource.namespace if doc.resource else ""
        for kind, name, path in _refs(doc):
            # Judge only when the input holds that namespace's objects of this kind: Secrets
            # are often created out of band (operators, CSI drivers, another repository).
            if (ns, kind) not in kinds_seen or name in AUTO_CONFIGMAPS:
                continue
            if (ns, kind, name) not in provided and (kind, name) not in anywhere:
                yield Violation(f'{kind} "{name}" is referenced but not in the input',
                                path, document=doc)
