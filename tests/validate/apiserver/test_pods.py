"""Pod spec rules (validate/apiserver/pods.py): every error at its field."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.validate.apiserver.helpers import check

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
