"""Per-kind rules (validate/apiserver/kinds.py): services, workloads, jobs, budgets, autoscalers."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import RunCli
from tests.validate.apiserver.helpers import apiserver_findings, check

WORKLOADS = """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: Internal  # expect GG233:3
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: http}
  - {name: http, port: 80}  # expect GG234:6 GG234:18
  - port: 70000  # expect GG233:5 GG233:5
    targetPort: Bad_Port  # expect GG233:5
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  updateStrategy:
    rollingUpdate: {maxUnavailable: 150%}  # expect GG233:21
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: postgres}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  backoffLimit: -2  # expect GG233:3
  template:
    spec:
      restartPolicy: Always  # expect GG233:7
      containers: [{name: c, image: busybox}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: pdb}
spec:
  minAvailable: 1  # expect GG233:3
  maxUnavailable: 5x  # expect GG233:3
  selector: {matchLabels: {app: web}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: hpa}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 5
  maxReplicas: 2  # expect GG233:3
"""


def test_services_workloads_jobs_budgets_autoscalers(tmp_path: Path, run_cli: RunCli) -> None:
    check(tmp_path, run_cli, WORKLOADS)


SCALE_TO_ZERO = """\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: zero}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 0  # expect GG233:3
  maxReplicas: 1
  metrics:
    - type: External
      external:
        metric: {name: probe_success}
        target: {type: Value, value: "1"}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: cpu}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 0  # expect GG233:3
  maxReplicas: 3
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
"""


def test_scale_to_zero_with_an_external_metric_is_a_warning_naming_the_feature_gate(
        tmp_path: Path, run_cli: RunCli) -> None:
    """home-ops' zeroscaler component: minReplicas 0 with an External metric is what the
    HPAScaleToZero feature gate allows; without such a metric no cluster takes it."""
    code, found = apiserver_findings(tmp_path, run_cli, SCALE_TO_ZERO)
    assert code == 1
    assert [(f["line"], f["severity"], f["message"]) for f in found] == [
        (6, "warning", "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1, "
                       "unless the cluster enables the HPAScaleToZero feature gate (alpha; if "
                       "it does, say so in the config: apiserver: {feature_gates: "
                       "{HPAScaleToZero: true}})"),
        (19, "error", "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1")]
