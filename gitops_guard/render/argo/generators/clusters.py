"""The cluster generator: a parameter set per cluster declared in the config (argocd.clusters)
that its selector matches, plus in-cluster when nothing is selected."""
from __future__ import annotations

from typing import Any

from gitops_guard.render.argo.functions import sanitize_name
from gitops_guard.render.argo.generators.params import Context, Params, add_values
from gitops_guard.render.argo.selector import matches
from gitops_guard.render.sources import as_dict

IN_CLUSTER = {"name": "in-cluster", "server": "https://kubernetes.default.svc"}


def clusters(spec: dict[str, Any], ctx: Context) -> list[Params]:
    selector = as_dict(spec.get("selector"))
    declared = [c for c in ctx.clusters
                if matches(selector, {**as_dict(c.get("labels")),
                                      "argocd.argoproj.io/secret-type": "cluster"})]
    out = [add_values(spec, _cluster_params(c, ctx), ctx) for c in declared]
    selects = bool(selector.get("matchLabels") or selector.get("matchExpressions"))
    has_local = any(str(c.get("server")) == IN_CLUSTER["server"] for c in ctx.clusters)
    if not selects and not has_local:
        local = {"name": "in-cluster", "nameNormalized": "in-cluster",
                 "server": IN_CLUSTER["server"], "project": ""}
        out.append(add_values(spec, local, ctx))
    if spec.get("flatList"):
        return [{"clusters": out}]
    return out


def _cluster_params(cluster: dict[str, Any], ctx: Context) -> Params:
    name = str(cluster.get("name", ""))
    params: Params = {"name": name, "nameNormalized": sanitize_name(name),
                      "server": str(cluster.get("server", "")),
                      "project": str(cluster.get("project", "") or "")}
    labels = {str(k): str(v) for k, v in as_dict(cluster.get("labels")).items()}
    labels["argocd.argoproj.io/secret-type"] = "cluster"
    annotations = {str(k): str(v) for k, v in as_dict(cluster.get("annotations")).items()}
    if ctx.go:
        meta: Params = {"labels": labels}
        if annotations:
            meta["annotations"] = annotations
        params["metadata"] = meta
    else:
        params.update({f"metadata.labels.{k}": v for k, v in labels.items()})
        params.update({f"metadata.annotations.{k}": v for k, v in annotations.items()})
    return params
