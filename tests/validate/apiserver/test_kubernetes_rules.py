"""The apiserver stage as a whole (validate/apiserver/__init__.py): valid manifests pass,
the stage switches off, tool configs are not objects."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.validate.apiserver.helpers import apiserver_findings, check
from tests.validate.apiserver.test_meta import NAMES

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
