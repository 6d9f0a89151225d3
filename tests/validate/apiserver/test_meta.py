"""ObjectMeta, label and key rules (validate/apiserver/meta.py): each error at its field."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import RunCli
from tests.validate.apiserver.helpers import check

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
