"""Schema validation: engines registered by name, schema sources chained in order."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from gitops_guard.config import Config
from gitops_guard.model import Document, Finding
from gitops_guard.validate.apiserver import validate_apiserver
from gitops_guard.validate.builtin import validate_builtin
from gitops_guard.validate.bundled import bundled_schemas
from gitops_guard.validate.custom import validate_custom
from gitops_guard.validate.kubernetes import kubernetes_schemas
from gitops_guard.validate.locations import schema_sources
from gitops_guard.validate.options import SchemaOptions

Engine = Callable[
    [Sequence[Document], SchemaOptions, Config, Sequence[tuple[Path, str]]], list[Finding]]


def validate_with_builtin(
    documents: Sequence[Document], options: SchemaOptions, config: Config,
    files: Sequence[tuple[Path, str]],
) -> list[Finding]:
    k8s = kubernetes_schemas(options.kubernetes_version, options.strict)
    extra = schema_sources(documents, options, config.root)
    bundled = bundled_schemas(options.strict)
    found = validate_builtin(documents, [k8s, *extra, bundled], options, k8s, config.root,
                             bundled)
    return found + [f for source in extra for f in source.findings]


def validate_with_kubeconform(
    documents: Sequence[Document], options: SchemaOptions, config: Config,
    files: Sequence[tuple[Path, str]],
) -> list[Finding]:
    """--schema-engine kubeconform: imported only when asked for."""
    from gitops_guard.validate.kubeconform import validate_with_kubeconform as run

    return run(documents, options, config, files)


ENGINES: dict[str, Engine] = {
    "builtin": validate_with_builtin,
    "kubeconform": validate_with_kubeconform,
}


def validate_documents(
    documents: Sequence[Document], options: SchemaOptions, config: Config,
    files: Sequence[tuple[Path, str]],
) -> list[Finding]:
    found = ENGINES[options.engine](documents, options, config, files)
    if options.apiserver:
        found += validate_apiserver(documents, options, config.root)
    return found + validate_custom(documents, config)
