"""Synthetic GitOps corpus for benchmarks: N Kubernetes resources, one app per file.

    python benchmarks/generate.py --resources 2000 --out DIR [--seed 1] [--invalid-ratio 0.01]

Writes DIR/apps/<team>/<app>.yaml, each a multi-document file holding one app:
Deployment, Service, ConfigMap (sometimes two), ServiceAccount, Ingress
(networking.k8s.io/v1, most apps) and HorizontalPodAutoscaler (autoscaling/v2, most
apps): about 6 resources per app, exactly N in all (the last app is cut short).
Fields are what real manifests carry: recommended labels, probes, requests and limits,
securityContext on most workloads, env vars, ports, volumes, sidecars on some.

Every resource is valid against the Kubernetes 1.32 *strict* schemas, except a
fraction `--invalid-ratio` of them that carry one realistic mistake each
(`replicas: "3"`, an unknown field, a container with no name, ...), so that runs
produce findings. The same (N, seed, ratio) always gives byte-identical files.

Standard library only, so any Python 3.11 can run it (no PyYAML needed).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KINDS = ("Deployment", "Service", "ConfigMap", "ServiceAccount", "Ingress",
         "HorizontalPodAutoscaler")

TEAMS = ("payments", "checkout", "search", "identity", "platform", "data", "growth",
         "notifications", "catalog", "mobile-api", "billing", "observability")
NOUNS = ("api", "worker", "gateway", "web", "scheduler", "indexer", "ledger", "cart",
         "auth", "profile", "mailer", "reports", "feed", "export", "sync", "pricing",
         "inventory", "tracker", "router", "cache-warmer")
SIDECARS = (
    ("envoy", "docker.io/envoyproxy/envoy:v1.31.2", 9901),
    ("fluent-bit", "cr.fluentbit.io/fluent/fluent-bit:3.1.9", 2020),
    ("oauth2-proxy", "quay.io/oauth2-proxy/oauth2-proxy:v7.7.1", 4180),
)
LOG_LEVELS = ("debug", "info", "warn", "error")

# --------------------------------------------------------------------------- YAML out

# Plain (unquoted) when YAML 1.1 and 1.2 both read it back as the same string: no
# indicator first, no ": " or " #", and nothing that resolves to a number or timestamp.
_PLAIN = re.compile(r"^[A-Za-z0-9_/.][A-Za-z0-9_./@%:,=+-]*$")
_NUMERIC = re.compile(r"^[-+]?[0-9._:eExXoObB+-]*$|^\.")
# Plain-looking words that YAML 1.1 or 1.2 would read as something other than a string.
_RESERVED = frozenset(
    w for word in ("yes", "no", "on", "off", "y", "n", "true", "false", "null", "~")
    for w in (word, word.capitalize(), word.upper()))


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if (_PLAIN.match(text) and not _NUMERIC.match(text) and text not in _RESERVED
            and not text.endswith(":")):
        return text
    return json.dumps(text)  # a JSON string is a valid YAML double-quoted scalar


def _emit(value: Any, indent: int, out: list[str]) -> None:
    """Block-style YAML for dicts and lists, appended to `out` line by line."""
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            _emit_entry(f"{pad}{_scalar(key)}:", item, indent, out)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                first = True
                for key, sub in item.items():
                    head = f"{pad}- {_scalar(key)}:" if first else f"{pad}  {_scalar(key)}:"
                    _emit_entry(head, sub, indent + 2, out)
                    first = False
            else:
                _emit_entry(f"{pad}-", item, indent, out)


def _emit_entry(head: str, value: Any, indent: int, out: list[str]) -> None:
    if isinstance(value, dict):
        if not value:
            out.append(f"{head} {{}}")
            return
        out.append(head)
        _emit(value, indent + 2, out)
    elif isinstance(value, list):
        if not value:
            out.append(f"{head} []")
            return
        out.append(head)
        _emit(value, indent, out)  # the usual kubectl style: items at the key's indent
    elif isinstance(value, str) and "\n" in value:
        out.append(f"{head} |")
        pad = " " * (indent + 2)
        out.extend(f"{pad}{line}" if line else "" for line in value.rstrip("\n").split("\n"))
    else:
        out.append(f"{head} {_scalar(value)}")


def to_yaml(documents: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for doc in documents:
        lines.append("---")
        _emit(doc, 0, lines)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- resources

@dataclass
class App:
    team: str
    name: str
    rng: random.Random
    version: str = ""
    port: int = 8080
    labels: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        r = self.rng
        self.version = f"{r.randint(0, 4)}.{r.randint(0, 30)}.{r.randint(0, 20)}"
        self.port = r.choice((8080, 8000, 3000, 9000, 5000))
        self.labels = {
            "app.kubernetes.io/name": self.name,
            "app.kubernetes.io/instance": f"{self.name}-{self.team}",
            "app.kubernetes.io/version": self.version,
            "app.kubernetes.io/component": r.choice(("backend", "frontend", "worker")),
            "app.kubernetes.io/part-of": self.team,
            "app.kubernetes.io/managed-by": "flux",
        }

    def meta(self, name: str | None = None, **extra: Any) -> dict[str, Any]:
        out: dict[str, Any] = {"name": name or self.name, "namespace": self.team,
                               "labels": dict(self.labels)}
        out.update(extra)
        return out


def _probe(r: random.Random, path: str, port: str, initial: int) -> dict[str, Any]:
    probe: dict[str, Any] = {"httpGet": {"path": path, "port": port},
                             "initialDelaySeconds": initial,
                             "periodSeconds": r.choice((5, 10, 15)),
                             "timeoutSeconds": r.choice((1, 2, 3)),
                             "failureThreshold": r.choice((3, 5))}
    if r.random() < 0.2:
        probe["successThreshold"] = 1
    return probe


def deployment(app: App) -> dict[str, Any]:
    r = app.rng
    selector = {"app.kubernetes.io/name": app.name,
                "app.kubernetes.io/instance": app.labels["app.kubernetes.io/instance"]}
    tag = "latest" if r.random() < 0.05 else app.version
    env: list[dict[str, Any]] = [
        {"name": "LOG_LEVEL", "value": r.choice(LOG_LEVELS)},
        {"name": "PORT", "value": str(app.port)},
        {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
        {"name": "POD_NAMESPACE",
         "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
        {"name": "DATABASE_PASSWORD",
         "valueFrom": {"secretKeyRef": {"name": f"{app.name}-db", "key": "password"}}},
    ]
    if r.random() < 0.4:
        env.append({"name": "GOMAXPROCS",
                    "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu",
                                                       "divisor": "1"}}})
    if r.random() < 0.3:
        env.append({"name": "FEATURE_FLAGS", "value": "new-checkout,fast-search"})
    cpu = r.choice(("50m", "100m", "250m", "500m", "1"))
    memory = r.choice(("64Mi", "128Mi", "256Mi", "512Mi", "1Gi"))
    container: dict[str, Any] = {
        "name": app.name,
        "image": f"registry.example.com/{app.team}/{app.name}:{tag}",
        "imagePullPolicy": "IfNotPresent",
        "args": ["--config=/etc/app/app.yaml", f"--listen=:{app.port}"],
        "ports": [{"name": "http", "containerPort": app.port, "protocol": "TCP"},
                  {"name": "metrics", "containerPort": 9090, "protocol": "TCP"}],
        "env": env,
        "envFrom": [{"configMapRef": {"name": f"{app.name}-config"}}],
        "resources": {"requests": {"cpu": cpu, "memory": memory},
                      "limits": {"memory": memory}},
    }
    if r.random() < 0.9:
        container["livenessProbe"] = _probe(r, "/healthz", "http", 10)
        container["readinessProbe"] = _probe(r, "/readyz", "http", 5)
    if r.random() < 0.3:
        container["startupProbe"] = {"tcpSocket": {"port": "http"}, "periodSeconds": 5,
                                     "failureThreshold": 30}
    hardened = r.random() < 0.85
    if hardened:
        container["securityContext"] = {
            "allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
            "runAsNonRoot": True, "capabilities": {"drop": ["ALL"]}}
    container["volumeMounts"] = [
        {"name": "config", "mountPath": "/etc/app", "readOnly": True},
        {"name": "tmp", "mountPath": "/tmp"}]
    containers = [container]
    if r.random() < 0.25:
        side, image, port = r.choice(SIDECARS)
        sidecar: dict[str, Any] = {
            "name": side, "image": image,
            "ports": [{"name": "admin", "containerPort": port}],
            "resources": {"requests": {"cpu": "25m", "memory": "32Mi"},
                          "limits": {"cpu": "200m", "memory": "128Mi"}}}
        if hardened:
            sidecar["securityContext"] = {"allowPrivilegeEscalation": False,
                                          "capabilities": {"drop": ["ALL"]}}
        containers.append(sidecar)
    pod_spec: dict[str, Any] = {
        "serviceAccountName": app.name,
        "terminationGracePeriodSeconds": r.choice((30, 45, 60)),
    }
    if hardened:
        pod_spec["securityContext"] = {"runAsNonRoot": True, "runAsUser": 10001,
                                       "runAsGroup": 10001, "fsGroup": 10001,
                                       "seccompProfile": {"type": "RuntimeDefault"}}
    if r.random() < 0.2:
        pod_spec["initContainers"] = [{
            "name": "migrate", "image": f"registry.example.com/{app.team}/{app.name}-migrate"
                                        f":{app.version}",
            "command": ["/bin/migrate", "up"],
            "envFrom": [{"secretRef": {"name": f"{app.name}-db"}}],
            "resources": {"requests": {"cpu": "50m", "memory": "64Mi"},
                          "limits": {"memory": "128Mi"}}}]
    pod_spec["containers"] = containers
    pod_spec["volumes"] = [
        {"name": "config", "configMap": {"name": f"{app.name}-config",
                                         "defaultMode": 0o444}},
        {"name": "tmp", "emptyDir": {"sizeLimit": "64Mi"}}]
    if r.random() < 0.4:
        pod_spec["topologySpreadConstraints"] = [{
            "maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone",
            "whenUnsatisfiable": "ScheduleAnyway",
            "labelSelector": {"matchLabels": dict(selector)}}]
    if r.random() < 0.2:
        pod_spec["tolerations"] = [{"key": "dedicated", "operator": "Equal",
                                    "value": app.team, "effect": "NoSchedule"}]
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": app.meta(annotations={"fluxcd.io/automated": "true"}),
        "spec": {
            "replicas": r.choice((1, 2, 3, 4, 6)),
            "revisionHistoryLimit": 5,
            "selector": {"matchLabels": selector},
            "strategy": {"type": "RollingUpdate",
                         "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}},
            "template": {
                "metadata": {"labels": dict(app.labels),
                             "annotations": {"prometheus.io/scrape": "true",
                                             "prometheus.io/port": "9090"}},
                "spec": pod_spec,
            },
        },
    }


def service(app: App) -> dict[str, Any]:
    r = app.rng
    spec: dict[str, Any] = {
        "type": "ClusterIP",
        "selector": {"app.kubernetes.io/name": app.name,
                     "app.kubernetes.io/instance": app.labels["app.kubernetes.io/instance"]},
        "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"},
                  {"name": "metrics", "port": 9090, "targetPort": 9090, "protocol": "TCP"}],
    }
    if r.random() < 0.1:
        spec["sessionAffinity"] = "ClientIP"
    return {"apiVersion": "v1", "kind": "Service", "metadata": app.meta(), "spec": spec}


def configmap(app: App, suffix: str = "config") -> dict[str, Any]:
    r = app.rng
    config_file = (
        f"server:\n  port: {app.port}\n  readTimeout: {r.choice((5, 10, 30))}s\n"
        f"logging:\n  level: {r.choice(LOG_LEVELS)}\n  format: json\n"
        f"upstreams:\n  - name: {r.choice(NOUNS)}\n"
        f"    url: http://{r.choice(NOUNS)}.{r.choice(TEAMS)}.svc.cluster.local\n")
    data: dict[str, str] = {
        "APP_ENV": r.choice(("production", "staging")),
        "CACHE_TTL_SECONDS": str(r.choice((30, 60, 300))),
        "ENABLE_TRACING": "true",
        "OTEL_EXPORTER_OTLP_ENDPOINT": "http://otel-collector.observability:4317",
        "app.yaml": config_file,
    }
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": app.meta(f"{app.name}-{suffix}"), "data": data}


def serviceaccount(app: App) -> dict[str, Any]:
    r = app.rng
    meta = app.meta()
    if r.random() < 0.4:
        meta["annotations"] = {
            "eks.amazonaws.com/role-arn":
                f"arn:aws:iam::123456789012:role/{app.team}-{app.name}"}
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta,
            "automountServiceAccountToken": False}


def ingress(app: App) -> dict[str, Any]:
    r = app.rng
    host = f"{app.name}.{app.team}.example.com"
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": app.meta(annotations={
            "cert-manager.io/cluster-issuer": "letsencrypt",
            "nginx.ingress.kubernetes.io/proxy-body-size": r.choice(("1m", "8m", "16m"))}),
        "spec": {
            "ingressClassName": "nginx",
            "tls": [{"hosts": [host], "secretName": f"{app.name}-tls"}],
            "rules": [{"host": host, "http": {"paths": [
                {"path": "/", "pathType": "Prefix",
                 "backend": {"service": {"name": app.name, "port": {"name": "http"}}}},
                {"path": "/api", "pathType": "Prefix",
                 "backend": {"service": {"name": app.name, "port": {"number": 80}}}},
            ]}}],
        },
    }


def hpa(app: App) -> dict[str, Any]:
    r = app.rng
    metrics: list[dict[str, Any]] = [{"type": "Resource", "resource": {
        "name": "cpu", "target": {"type": "Utilization",
                                  "averageUtilization": r.choice((60, 70, 80))}}}]
    if r.random() < 0.4:
        metrics.append({"type": "Resource", "resource": {
            "name": "memory", "target": {"type": "AverageValue", "averageValue": "400Mi"}}})
    low = r.choice((2, 3))
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": app.meta(),
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                               "name": app.name},
            "minReplicas": low,
            "maxReplicas": low * r.choice((3, 5, 10)),
            "metrics": metrics,
            "behavior": {"scaleDown": {"stabilizationWindowSeconds": 300, "policies": [
                {"type": "Percent", "value": 50, "periodSeconds": 60}]}},
        },
    }


# --------------------------------------------------------------------------- mistakes

def _containers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    containers: list[dict[str, Any]] = doc["spec"]["template"]["spec"]["containers"]
    return containers


def _string_replicas(doc: dict[str, Any]) -> None:
    doc["spec"]["replicas"] = str(doc["spec"]["replicas"])


def _typo_field(doc: dict[str, Any]) -> None:
    c = _containers(doc)[0]
    c["imagePullPolicey"] = c.pop("imagePullPolicy")


def _no_container_name(doc: dict[str, Any]) -> None:
    del _containers(doc)[0]["name"]


def _string_port(doc: dict[str, Any]) -> None:
    doc["spec"]["ports"][0]["port"] = "80"


def _v1beta1_backend(doc: dict[str, Any]) -> None:
    path = doc["spec"]["rules"][0]["http"]["paths"][0]
    name = path["backend"]["service"]["name"]
    path["backend"] = {"serviceName": name, "servicePort": 80}


def _v1_hpa_field(doc: dict[str, Any]) -> None:
    doc["spec"].pop("metrics")
    doc["spec"]["targetCPUUtilizationPercentage"] = 70


def _integer_data(doc: dict[str, Any]) -> None:
    doc["data"]["CACHE_TTL_SECONDS"] = int(doc["data"]["CACHE_TTL_SECONDS"])


def _string_bool(doc: dict[str, Any]) -> None:
    doc["automountServiceAccountToken"] = "false"


MISTAKES: dict[str, tuple[Callable[[dict[str, Any]], None], ...]] = {
    "Deployment": (_string_replicas, _typo_field, _no_container_name),
    "Service": (_string_port,),
    "ConfigMap": (_integer_data,),
    "ServiceAccount": (_string_bool,),
    "Ingress": (_v1beta1_backend,),
    "HorizontalPodAutoscaler": (_v1_hpa_field,),
}

# --------------------------------------------------------------------------- corpus


@dataclass
class CorpusStats:
    resources: int
    files: int
    invalid: int
    kinds: dict[str, int]
    bytes: int
    seconds: float

    def summary(self) -> str:
        kinds = ", ".join(f"{k} {v}" for k, v in self.kinds.items())
        return (f"{self.resources} resources ({kinds}) in {self.files} files, "
                f"{self.invalid} with a deliberate mistake, {self.bytes / 1e6:.1f} MB, "
                f"{self.seconds:.2f} s")


def _app_documents(app: App) -> list[dict[str, Any]]:
    r = app.rng
    docs = [serviceaccount(app), configmap(app)]
    if r.random() < 0.3:
        docs.append(configmap(app, "env"))
    docs += [deployment(app), service(app)]
    if r.random() < 0.85:
        docs.append(ingress(app))
    if r.random() < 0.8:
        docs.append(hpa(app))
    return docs


def build(resources: int, seed: int = 1,
          invalid_ratio: float = 0.0) -> list[tuple[str, list[dict[str, Any]]]]:
    """The corpus in memory: (path under the corpus dir, documents) per app file."""
    if resources < 1:
        raise ValueError("--resources must be at least 1")
    if not 0.0 <= invalid_ratio <= 1.0:
        raise ValueError("--invalid-ratio must be between 0 and 1")
    rng = random.Random(seed)
    # Build every app first, so mistakes can be spread over exactly round(ratio*N) resources.
    apps: list[tuple[App, list[dict[str, Any]]]] = []
    total = 0
    names: Counter[tuple[str, str]] = Counter()
    while total < resources:
        team = TEAMS[len(apps) % len(TEAMS)]
        base = "-".join(rng.sample(NOUNS, 2))
        names[(team, base)] += 1
        name = base if names[(team, base)] == 1 else f"{base}-{names[(team, base)]}"
        app = App(team, name, random.Random(rng.getrandbits(64)))
        docs = _app_documents(app)[: resources - total]
        apps.append((app, docs))
        total += len(docs)
    flat = [doc for _, docs in apps for doc in docs]
    for index in sorted(rng.sample(range(len(flat)), round(invalid_ratio * len(flat)))):
        doc = flat[index]
        rng.choice(MISTAKES[doc["kind"]])(doc)
    return [(f"apps/{app.team}/{app.name}.yaml", docs) for app, docs in apps]


def generate(resources: int, out: Path, seed: int = 1, invalid_ratio: float = 0.0,
             force: bool = False) -> CorpusStats:
    """Write the corpus under out/apps/; refuses a non-empty out/apps unless `force`."""
    start = time.perf_counter()
    corpus = build(resources, seed, invalid_ratio)
    apps_dir = out / "apps"
    if apps_dir.exists() and any(apps_dir.iterdir()):
        if not force:
            raise FileExistsError(f"{apps_dir} is not empty (use --force to replace it)")
        shutil.rmtree(apps_dir)
    size = 0
    kinds: Counter[str] = Counter()
    for relative, docs in corpus:
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        text = to_yaml(docs)
        path.write_text(text, encoding="utf-8")
        size += len(text)
        kinds.update(doc["kind"] for doc in docs)
    return CorpusStats(resources=sum(kinds.values()), files=len(corpus),
                       invalid=round(invalid_ratio * sum(kinds.values())),
                       kinds={k: kinds[k] for k in KINDS if kinds[k]}, bytes=size,
                       seconds=time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--resources", type=int, required=True, metavar="N")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--invalid-ratio", type=float, default=0.0, metavar="F",
                        help="fraction of resources given one realistic mistake (default 0)")
    parser.add_argument("--force", action="store_true", help="replace an existing DIR/apps")
    args = parser.parse_args(argv)
    try:
        stats = generate(args.resources, args.out, args.seed, args.invalid_ratio, args.force)
    except (ValueError, FileExistsError) as exc:
        print(f"generate.py: error: {exc}", file=sys.stderr)
        return 2
    print(f"{args.out}: {stats.summary()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
