"""The Python policy API: what a policy file imports.

    from gitops_guard.evaluate.api import rule, Violation

    @rule(id="ACME001", severity="error", title="No privileged containers",
          why="...", fix="...", kinds=("Deployment", "Pod"))
    def privileged(resource, ctx):
        for path, container in ctx.containers(resource):
            if container.get("securityContext", {}).get("privileged"):
                yield Violation("container runs privileged", (*path, "securityContext"))

A rule function takes one resource (a dict) and a RuleContext and yields Violations.
With `scope="all"` it takes the list of every Document instead (cross-resource rules)
and yields Violations that name the `document` they point at.

A document-scope rule sees Kubernetes documents (apiVersion + kind) of the listed
`kinds` (empty: every kind). `kinds=("*",)` also hands it every other document
(Terraform, plain YAML/JSON data): check `resource.get("kind")` yourself then.
A rule may yield plain strings (a Violation without a path). Rules must not mutate
the resource they are given. A rule that raises is reported as a GG040 finding.

Patch files (what kustomizations list under `patches` and `patchesStrategicMerge`) are
fragments, not resources: a document rule sees them only with `fragments=True`, for
rules that judge what a document says (privileged: true) rather than what it leaves out
(no probe), since what a patch leaves out is in its base. Cross-resource rules judge
one deployable unit at a time (evaluate/units.py) and never see fragments.
"""
from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from gitops_guard.evaluate.pods import (
    LONG_RUNNING,
    POD_TEMPLATE_PATHS,
    PodIndex,
    pod_labels,
    selects,
    template_path,
)
from gitops_guard.model import Document, FieldPath, Severity

__all__ = ["LONG_RUNNING", "POD_TEMPLATE_PATHS", "Rule", "RuleContext", "Violation",
           "containers_of", "pod_labels", "pod_labels_by_namespace", "pod_spec_of", "rule",
           "selects"]

# Every rule on a workload asks for its pod spec: the paths are built once.
_POD_SPEC_PATHS = {kind: (*prefix, "spec") for kind, prefix in POD_TEMPLATE_PATHS.items()}
_CONTAINER_KEYS = ("containers", "initContainers", "ephemeralContainers")
_Containers = tuple[tuple[FieldPath, Mapping[str, Any]], ...]


def pod_spec_of(resource: Any) -> tuple[FieldPath, Mapping[str, Any]] | None:
    """(path, pod spec) of a workload, or None for kinds without pods."""
    kind = resource.get("kind") if type(resource) is dict else None
    path = _POD_SPEC_PATHS.get(kind) if type(kind) is str else None
    if path is None:
        return None
    node: Any = resource
    for key in path:
        node = node.get(key) if type(node) is dict else None
    return (path, node) if type(node) is dict else None


def containers_of(resource: Any) -> _Containers:
    """(path, container) for every container of a workload, init and ephemeral included."""
    return _containers_in(pod_spec_of(resource))


def _containers_in(found: tuple[FieldPath, Mapping[str, Any]] | None) -> _Containers:
    if found is None:
        return ()
    path, spec = found
    return tuple(((*path, key, i), container) for key in _CONTAINER_KEYS
                 if type(items := spec.get(key)) is list
                 for i, container in enumerate(items) if type(container) is dict)


def pod_labels_by_namespace(documents: Iterable[Document]) -> dict[str, list[Mapping[str, Any]]]:
    """Namespace -> the pod-template labels of every workload in it (for selector rules)."""
    pods: dict[str, list[Mapping[str, Any]]] = {}
    for doc in documents:
        key = doc.resource
        if key is not None and template_path(doc.data) is not None:
            pods.setdefault(key.namespace, []).append(pod_labels(doc.data))
    return pods


class Violation(NamedTuple):
    message: str
    path: FieldPath = ()
    document: Document | None = None  # for scope="all" rules: which document it is about
    severity: Severity | None = None  # overrides the rule's severity when set


@dataclass(frozen=True)
class RuleContext:
    """What a rule may read besides the resource: options, the target version and, for a
    document-scope rule, the Document it is judging and the namespace its deployer sets.

    The runner (python_run.py) builds one context per document, shared by every rule that
    judges it, so the pod spec and containers of a workload are found once
    (`containers()` and `pod_spec()` on the judged resource return what was found first).
    A scope="all" rule gets its unit's context (no document): `pod_index(documents)` on
    the unit it was handed returns one index shared by every rule that asks for it."""

    options: Mapping[str, Any] = field(default_factory=dict)
    kubernetes_version: str = ""
    document: Document | None = None  # the document being judged (document-scope rules)
    # The namespace set by what deploys `document` (a kustomization's `namespace:`, an
    # Argo CD destination, a Flux `targetNamespace`; evaluate/units.py), or None.
    deployed_namespace: str | None = None
    unit: Sequence[Document] | None = None  # the documents a scope="all" rule is handed

    def for_document(self, document: Document,
                     deployed_namespace: str | None = None) -> RuleContext:
        """This context for judging `document` (the runner calls it once per document)."""
        return RuleContext(self.options, self.kubernetes_version, document,
                           deployed_namespace)

    def for_unit(self, documents: Sequence[Document]) -> RuleContext:
        """This context for the cross-resource rules judging `documents` together."""
        return RuleContext(self.options, self.kubernetes_version, unit=documents)

    def pod_index(self, documents: Sequence[Document]) -> PodIndex:
        """`PodIndex(documents)`: for the unit this context was made for, built once."""
        unit = self.unit
        if unit is not None and len(documents) == len(unit) and all(
                map(operator.is_, documents, unit)):
            return self._unit_pods
        return PodIndex(documents)

    @cached_property
    def _unit_pods(self) -> PodIndex:
        return PodIndex(self.unit or ())

    def option(self, name: str, default: Any) -> Any:
        return self.options.get(name, default)

    @cached_property
    def _pod(self) -> tuple[tuple[FieldPath, Mapping[str, Any]] | None, _Containers]:
        """The judged document's (pod spec, containers), found once for every rule."""
        found = pod_spec_of(self.document.data if self.document is not None else None)
        return found, _containers_in(found)

    def _judged(self, resource: Mapping[str, Any]) -> bool:
        return self.document is not None and resource is self.document.data

    def pod_spec(self, resource: Mapping[str, Any]) -> tuple[FieldPath, Mapping[str, Any]] | None:
        """(path, pod spec) of a workload, or None for kinds without pods."""
        return self._pod[0] if self._judged(resource) else pod_spec_of(resource)

    def containers(
        self, resource: Mapping[str, Any], init: bool = True,
    ) -> Iterator[tuple[FieldPath, Mapping[str, Any]]]:
        """(path, container) for every container, init and ephemeral ones included (only
        `containers` with init=False)."""
        found = self._pod[1] if self._judged(resource) else containers_of(resource)
        if init:
            return iter(found)
        return (item for item in found if item[0][-2] == "containers")

    def containers_without(
        self, resource: Mapping[str, Any], quantity: str, sections: Sequence[str],
    ) -> Iterator[tuple[str, FieldPath]]:
        """(name, path to point at) of each container declaring `quantity` (cpu, memory) in
        none of `sections` of `resources`; ephemeral containers cannot have resources.
        The path is the first section when present, else `resources`, else the container."""
        for path, container in self.containers(resource):
            if path[-2] == "ephemeralContainers":
                continue
            name = str(container.get("name", "?"))
            resources = container.get("resources")
            if not isinstance(resources, dict):
                yield name, path
                continue
            if any(isinstance(resources.get(s), dict)
                   and resources[s].get(quantity) not in (None, "") for s in sections):
                continue
            where = (("resources", sections[0]) if isinstance(resources.get(sections[0]), dict)
                     else ("resources",))
            yield name, (*path, *where)


RuleFunc = Callable[..., Iterable[Violation]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str
    why: str
    fix: str
    func: RuleFunc
    kinds: tuple[str, ...] = ()  # empty: every Kubernetes kind; "*": every document
    scope: str = "document"  # document | all
    example: str = ""
    doc_url: str = ""
    source_file: str = ""
    fragments: bool = False  # also judge patch files (rules about what is present)

    def applies_to(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds or "*" in self.kinds


def rule(
    *, id: str, severity: str, title: str, why: str = "", fix: str = "",
    kinds: Sequence[str] = (), scope: str = "document", example: str = "", doc_url: str = "",
    fragments: bool = False,
) -> Callable[[RuleFunc], Rule]:
    """Declare a policy rule. The decorated function becomes a `Rule`."""
    if scope not in ("document", "all"):
        raise ValueError(f"rule {id}: scope must be 'document' or 'all', not {scope!r}")

    def wrap(func: RuleFunc) -> Rule:
        return Rule(id=id, severity=Severity.parse(severity), title=title, why=why, fix=fix,
                    func=func, kinds=tuple(kinds), scope=scope, example=example,
                    doc_url=doc_url, source_file=(getattr(func, "__code__", None)
                    and func.__code__.co_filename) or "", fragments=fragments)
    return wrap
