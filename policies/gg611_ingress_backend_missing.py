"""GG611: an Ingress backend must be a Service in the input."""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation, rule
from gitops_guard.model import Document, FieldPath


def _backend_name(backend: Any) -> tuple[str, tuple[str, ...]] | None:
    """(service name, path inside the backend) for v1 and v1beta1 backends."""
    if not isinstance(backend, dict):
        return None
    service = backend.get("service")
    if isinstance(service, dict) and service.get("name"):
        return str(service["name"]), ("service", "name")
    if backend.get("serviceName"):
        return str(backend["serviceName"]), ("serviceName",)
    return None  # a resource backend, not a Service


def _backends(spec: Mapping[str, Any]) -> Iterator[tuple[str, FieldPath]]:
    for key in ("defaultBackend", "backend"):
        found = _backend_name(spec.get(key))
        if found:
            yield found[0], ("spec", key, *found[1])
    for i, item in enumerate(spec.get("rules") or ()):
        http = item.get("http") if isinstance(item, dict) else None
        for j, path in enumerate(http.get("paths") or () if isinstance(http, dict) else ()):
            found = _backend_name(path.get("backend") if isinstance(path, dict) else None)
            if found:
                yield found[0], ("spec", "rules", i, "http", "paths", j, "backend", *found[1])


@rule(
    id="GG611",
    severity="warning",
    title="Ingress backend Service missing",
    why="An Ingress path whose Service does not exist answers 503 for that route, usually "
        "after the Service was renamed.",
    fix="Point the backend at an existing Service name in the Ingress's namespace.",
    kinds=("Ingress",),
    scope="all",
    example="backend:\n  service:\n    name: web\n    port: {number: 80}",
    doc_url="https://kubernetes.io/docs/concepts/services-networking/ingress/",
)
def ingress_backend(documents: Sequence[Document], ctx: RuleContext) -> Iterator[Violation]:
    services: set[tuple[str, str]] = set()
    ingresses: list[Document] = []
    for doc in documents:
        key = doc.resource
        if key is not None and key.kind == "Service":
            services.add((key.namespace, key.name))
        elif key is not None and key.kind == "Ingress":
            ingresses.append(doc)
    namespaces = {ns for ns, _ in services}
    for doc in ingresses:
        key = doc.resource
        spec = doc.data.get("spec")
        # Judge only namespaces whose Services are in the input.
        if key is None or key.namespace not in namespaces or not isinstance(spec, dict):
            continue
        for name, path in _backends(spec):
            if (key.namespace, name) not in services:
                yield Violation(f'backend Service "{name}" is not in the input', path,
                                document=doc)
