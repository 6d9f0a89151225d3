"""Kubernetes' own validation (validate/apiserver/{meta,pods,kinds}.py): pass and fail."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DATA, RunCli
from tests.validate.apiserver.helpers import apiserver_findings, check

NAMES = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: Upper_Case  # expect GG230:3
  namespace: Prod  # expect GG230:3
data:
  "a key": x  # expect GG231:3
  ok.key-1_x: y
---
apiVersion: v1
kind: Service
metadata:
  name: 1web  # expect GG230:3
spec:
  ports: [{port: 80}]
---
apiVersion: v1
kind: Namespace
metadata:
  name: a.b  # expect GG230:3
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: system:aggregate-to-view
rules: []
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: a-cron-job-whose-name-is-longer-than-fifty-two-characters  # expect GG230:3
spec:
  schedule: "* * * * *"
  concurrencyPolicy: Sometimes  # expect GG233:3
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Always  # expect GG233:11
          containers: [{name: c, image: busybox}]
---
apiVersion: v1
kind: Pod
metadata:
  generateName: worker-
  labels:
    app: "has space"  # expect GG231:5
    long: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa  # expect GG231:5
    example.com/ok: "v1.2_3"
    bad/key/x: v  # expect GG231:5
    Example.COM/upper: v  # expect GG231:5
  annotations:
    under_score.example.com/x: v  # expect GG231:5
    Example.com/fine-once-lowercased: v
spec:
  containers: [{name: c, image: busybox}]
"""


def test_names_labels_annotations_and_keys(tmp_path: Path, run_cli: RunCli) -> None:
    found = check(tmp_path, run_cli, NAMES)
    assert any("DNS-1035 label" in f["message"] and f["field"] == "metadata.name"
               for f in found)


POD = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: -1  # expect GG233:3
  selector:
    matchLabels: {app: web}
    matchExpressions:
    - {key: tier, operator: In}  # expect GG231:7
    - {key: tier, operator: Maybe, values: [a]}  # expect GG233:19
  template:
    metadata:
      labels: {app: other}  # expect GG235:7
    spec:
      restartPolicy: OnFailure  # expect GG233:7
      dnsPolicy: Cluster  # expect GG233:7
      volumes:
      - name: data
      - name: data  # expect GG234:9
        emptyDir: {}
        configMap: {name: x}  # expect GG235:9
      - name: Bad_Name  # expect GG230:9
      initContainers:
      - name: app
        image: busybox
      containers:
      - name: app  # expect GG234:9
        image: nginx
        imagePullPolicy: Sometimes  # expect GG233:9
        ports:
        - containerPort: 70000  # expect GG233:11
          name: http
        - containerPort: 8080
          name: http  # expect GG234:11
        - containerPort: 9090
          name: metrics-port-too-long  # expect GG233:11
        - containerPort: 53
          protocol: ICMP  # expect GG233:11
        env:
        - {name: A, value: "1"}
        - {name: A, value: "2"}  # expect GG234:12
        resources:
          requests:
            cpu: 1.5.5  # expect GG232:13
            memory: 2Gi  # expect GG232:13
            ephemeral-storage: -1  # expect GG232:13
          limits:
            cpu: abc  # expect GG232:13
            memory: 1Gi
        volumeMounts:
        - {name: data, mountPath: /data}
        - {name: cache, mountPath: /data}  # expect GG235:12 GG234:25
        livenessProbe:
          exec: {command: ["true"]}
          httpGet: {port: 80}  # expect GG235:11
        readinessProbe:  # expect GG235:9
          periodSeconds: 5
        lifecycle:
          preStop:
            sleep: {seconds: 5}
"""


def test_pod_spec_rules_report_every_error_at_its_field(tmp_path: Path,
                                                          run_cli: RunCli) -> None:
    found = check(tmp_path, run_cli, POD)
    env = [f for f in found if f["field"].endswith("env[1].name")]
    assert [f["severity"] for f in env] == ["warning"]  # the server only warns
    request = next(f for f in found if f["field"].endswith("requests.memory"))
    assert "must be less than or equal to memory limit of 1Gi" in request["message"]


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


VALID = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web.example
  namespace: shop
  labels: {app.kubernetes.io/name: web, version: "1.2.3", empty: ""}
  annotations: {kubectl.kubernetes.io/last-applied-configuration: "{}"}
spec:
  replicas: 0
  selector:
    matchLabels: {app: web}
    matchExpressions: [{key: tier, operator: Exists}]
  strategy: {rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      volumes: [{name: data, emptyDir: {}}, {name: cfg, configMap: {name: cfg}}]
      containers:
      - name: web
        image: nginx
        ports: [{containerPort: 80, name: http}, {containerPort: 80, protocol: UDP}]
        resources:
          requests: {cpu: 500m, memory: 1e9, nvidia.com/gpu: 1}
          limits: {cpu: 1, memory: 1Gi, nvidia.com/gpu: 1}
        volumeMounts: [{name: data, mountPath: /data}, {name: cfg, mountPath: /etc/cfg}]
        livenessProbe: {httpGet: {port: http, path: /}}
        lifecycle: {preStop: {exec: {command: [sleep, "5"]}}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ports: [{name: http, port: 80, targetPort: http}, {name: dns, port: 80, protocol: UDP}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - {name: db, image: postgres, volumeMounts: [{name: data, mountPath: /var/lib/pg}]}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: legacy}
spec:
  selector: {app: legacy}
  template:
    metadata: {labels: {app: legacy}}
    spec:
      containers: [{name: c, image: busybox}]
"""


def test_valid_manifests_raise_nothing(tmp_path: Path, run_cli: RunCli) -> None:
    check(tmp_path, run_cli, VALID)


def test_no_apiserver_flag_and_config_switch_the_stage_off(tmp_path: Path,
                                                           run_cli: RunCli) -> None:
    assert apiserver_findings(tmp_path, run_cli, NAMES)[1]
    code, found = apiserver_findings(tmp_path, run_cli, NAMES, "--no-apiserver")
    assert (code, found) == (0, [])
    (tmp_path / ".gitops-guard.yaml").write_text("apiserver: {enabled: false}\n")
    config = ("--config", str(tmp_path / ".gitops-guard.yaml"))
    assert apiserver_findings(tmp_path, run_cli, NAMES, *config) == (0, [])


@pytest.mark.parametrize("doc", [
    "apiVersion: skaffold/v4beta6\nkind: Config\nmetadata: {name: Not_A_K8s_Name}\n",
    "apiVersion: v1\nkind: Config\nmetadata: {name: Kube_Config}\n",
])
def test_tool_configs_that_look_like_objects_are_left_alone(
        tmp_path: Path, run_cli: RunCli, doc: str) -> None:
    assert apiserver_findings(tmp_path, run_cli, doc)[1] == []


ENV = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: busybox
    env:
    - {name: 1_STARTS_WITH_DIGIT, value: x}  # expect {old}
    - {name: HAS=EQUALS, value: x}  # expect GG233:8
"""


@pytest.mark.parametrize(("version", "old"), [("1.31", "GG233:8"), ("1.32", "")])
def test_env_var_names_follow_the_target_version(tmp_path: Path, run_cli: RunCli,
                                                 version: str, old: str) -> None:
    """Relaxed env var names are the default from Kubernetes 1.32 on."""
    check(tmp_path, run_cli, ENV.replace("{old}", old), "--kubernetes-version", version)


PLACEHOLDERS = """\
apiVersion: v1
kind: Namespace
metadata:
  name: _  # kustomize's namespace transformer renames it
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${APP}  # Flux postBuild substitutes it
  namespace: ${NAMESPACE:=default}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-${APP}  # partly a placeholder: spared too
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: $ARGOCD_APP_NAME  # an Argo CD plugin's envsubst fills it
  namespace: $ARGOCD_APP_NAMESPACE
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: App_Config  # expect GG230:3
  namespace: team_a  # expect GG230:3
"""


def test_names_a_build_step_replaces_are_left_to_the_render(tmp_path: Path,
                                                            run_cli: RunCli) -> None:
    # A name holding a placeholder is spared; other bad names in the same file are not.
    found = check(tmp_path, run_cli, PLACEHOLDERS)
    assert [f["message"].split('"')[1] for f in found] == ["App_Config", "team_a"]


VERSIONED = (DATA / "apiserver" / "versioned-pod.yaml").read_text()
_EVERY_VERSION = {(16, 5, "GG235"), (28, 7, "GG233"), (33, 7, "GG233"), (35, 7, "GG233")}
_OLD_DNS = {(31, 7, "GG233"), (32, 7, "GG233")}  # '_' and a lone '.' in searches: 1.33


@pytest.mark.parametrize(("version", "more"), [
    # SidecarContainers off: restartPolicy dropped (warning), the sidecar's probe
    # forbidden; the sleep action dropped, so preStop has no handler
    ("1.28", {(9, 5, "GG233"), (10, 5, "GG235"), (13, 5, "GG233"), (20, 5, "GG233"),
              (22, 7, "GG235"), *_OLD_DNS}),
    # sidecars on: only Always for init containers; sleep still dropped (alpha)
    ("1.29", {(13, 5, "GG233"), (20, 5, "GG233"), (22, 7, "GG235"), *_OLD_DNS}),
    # sleep on, but 0 seconds is refused until 1.33
    ("1.30", {(13, 5, "GG233"), (20, 5, "GG233"), (23, 17, "GG233"), *_OLD_DNS}),
    ("1.33", {(13, 5, "GG233"), (20, 5, "GG233")}),
    # ContainerRestartRules: restartPolicy on any container
    ("1.35", set()),
])
def test_pod_rules_follow_the_target_version(tmp_path: Path, run_cli: RunCli, version: str,
                                             more: set[tuple[int, int, str]]) -> None:
    _, found = apiserver_findings(tmp_path, run_cli, VERSIONED, "--kubernetes-version",
                                  version)
    got = {(f["line"], f["column"], f["rule_id"]) for f in found}
    assert got == _EVERY_VERSION | more, "\n".join(
        f"{f['line']}:{f['column']} {f['rule_id']} {f['message']}" for f in found)
    messages = {f["line"]: f["message"] for f in found}
    if version == "1.28":
        assert messages[9].endswith("SidecarContainers): this init container must exit "
                                    "before the pod's containers start")
        assert "dropped before Kubernetes 1.30" in messages[22]
        assert "allowed from Kubernetes 1.33" in messages[31]
    if version == "1.30":
        assert messages[23].endswith("(0 is allowed from Kubernetes 1.33; target 1.30)")


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


def test_feature_gates_in_the_config_override_the_version(tmp_path: Path,
                                                           run_cli: RunCli) -> None:
    """HPAScaleToZero is off in every release unless the cluster turns it on (then 0 is
    taken with an External metric, still not without); a gate on by default may be turned
    off (the config says how the cluster's API server runs)."""
    config = tmp_path / "gates.yaml"
    config.write_text("apiserver:\n  feature_gates: {HPAScaleToZero: true, "
                      "SidecarContainers: false}\n")
    _, found = apiserver_findings(tmp_path, run_cli, SCALE_TO_ZERO, "--config", str(config))
    assert [(f["line"], f["severity"]) for f in found] == [(19, "error")]
    _, found = apiserver_findings(tmp_path, run_cli, VERSIONED, "--config", str(config),
                                  "--kubernetes-version", "1.33")
    assert {(f["line"], f["severity"]) for f in found if f["field"].endswith(
        "].restartPolicy")} >= {(9, "warning"), (13, "warning")}  # dropped: gate off


def test_an_unknown_feature_gate_is_a_config_error(tmp_path: Path, run_cli: RunCli) -> None:
    config = tmp_path / "gates.yaml"
    config.write_text("apiserver:\n  feature_gates: {HPAScaleToZer0: true}\n")
    (tmp_path / "m.yaml").write_text(SCALE_TO_ZERO)
    result = run_cli("check", str(tmp_path / "m.yaml"), "--config", str(config))
    assert result.code == 2
    assert 'gates.yaml:2:3: apiserver.feature_gates: "HPAScaleToZer0" is not one of' \
        in result.err
