"""Issue 13, points 5 and 8: every workload kind makes pods; operators' pods count; the
selector rules index pods by label.

A monitoring namespace shaped like kube-prometheus (Services selecting the pods of a
Prometheus and an Alertmanager resource), an Argo Rollouts app, a CronJob, and a
namespace a HelmRelease deploys into.
"""
from __future__ import annotations

from gitops_guard.evaluate.pods import template_path
from tests.conftest import RunCli
from tests.evaluate.conftest import Repo

MONITORING = """
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s, namespace: monitoring}
spec:
  podMetadata:
    labels: {team: sre}
---
apiVersion: monitoring.coreos.com/v1
kind: Alertmanager
metadata: {name: main, namespace: monitoring}
spec: {replicas: 3}
---
apiVersion: v1
kind: Service
metadata: {name: prometheus-k8s, namespace: monitoring}
spec:
  ports: [{name: web, port: 9090, targetPort: web}]
  selector:
    app.kubernetes.io/name: prometheus
    prometheus: k8s
---
apiVersion: v1
kind: Service
metadata: {name: alertmanager-main, namespace: monitoring}
spec:
  ports: [{name: web, port: 9093, targetPort: web}]
  selector: {alertmanager: main, app.kubernetes.io/name: alertmanager}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: prometheus-k8s, namespace: monitoring}
spec:
  minAvailable: 1
  selector:
    matchLabels: {prometheus: k8s, team: sre}
---
apiVersion: v1
kind: Service
metadata: {name: grafana, namespace: monitoring}
spec:
  ports: [{port: 3000}]
  selector: {app: grafana}
"""
ROLLOUT = """
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0
          ports: [{name: http, containerPort: 8080}]
          securityContext: {privileged: true}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  ports: [{port: 80, targetPort: htp}]
  selector: {app: web}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: shop}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: report}}
        spec:
          restartPolicy: Never
          containers: [{name: report, image: "ghcr.io/acme/report:1.0"}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: report, namespace: shop}
spec:
  maxUnavailable: 1
  selector:
    matchExpressions: [{key: app, operator: In, values: [report]}]
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: redis, namespace: flux-system}
spec:
  targetNamespace: cache
  chart: {spec: {chart: redis, sourceRef: {kind: HelmRepository, name: bitnami}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: warmer, namespace: cache}
spec:
  selector: {matchLabels: {app: warmer}}
  template:
    metadata: {labels: {app: warmer}}
    spec:
      containers: [{name: warmer, image: "ghcr.io/acme/warmer:1.0"}]
---
apiVersion: v1
kind: Service
metadata: {name: redis-extra, namespace: cache}
spec:
  ports: [{port: 6379}]
  selector: {app.kubernetes.io/name: redis}
"""


def _found(run_cli: RunCli, path: str) -> list[tuple[str, int, str]]:
    out = run_cli("check", "--no-schema", "-o", "json", path).json()["findings"]
    return [(f["rule_id"], f["line"], f["message"]) for f in out
            if f["rule_id"] in ("GG301", "GG603", "GG604", "GG608")]


def test_operator_pods_are_pods(repo: Repo, run_cli: RunCli) -> None:
    repo.write("monitoring/stack.yaml", MONITORING)
    assert _found(run_cli, "monitoring/stack.yaml") == [
        ("GG604", 42, 'Service "grafana" selects no pod of the workloads in its namespace')]


def test_rollouts_cronjobs_and_helm_releases(repo: Repo, run_cli: RunCli) -> None:
    repo.write("shop/app.yaml", ROLLOUT)
    assert _found(run_cli, "shop/app.yaml") == [
        ("GG301", 13, 'container "web" runs privileged'),
        ("GG608", 19, "targetPort 'htp' is not a port name of the selected containers"),
    ]


def test_template_path_covers_every_workload_kind() -> None:
    cases = {
        ("batch/v1", "CronJob"): ("spec", "jobTemplate", "spec", "template"),
        ("v1", "Pod"): (),
        ("argoproj.io/v1alpha1", "Rollout"): ("spec", "template"),
        ("example.com/v1", "Anything"): ("spec", "template"),
        ("v1", "ConfigMap"): None,
        ("apps/v1", "ControllerRevision"): None,
    }
    for (api, kind), expected in cases.items():
        resource = {"apiVersion": api, "kind": kind,
                    "spec": {"template": {"spec": {"containers": []}}}}
        assert template_path(resource) == expected, kind
