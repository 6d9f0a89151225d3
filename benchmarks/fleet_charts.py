"""The charts of the fleet benchmark (benchmarks/fleet_repo.py): two application charts
packaged with the real Helm SDK and served by the loopback chart repository
(tests/fakes/helm_chart_repository.py), and each cluster's HelmRepository and
HelmReleases of them.

`service` renders ServiceAccount, ConfigMap, Deployment, Service and
HorizontalPodAutoscaler; `worker` ServiceAccount, ConfigMap and Deployment: templates
shaped like `helm create`'s (helpers, labels, conditionals), so rendering costs what a
small real chart costs. Each is published at 1.0.0 and 1.1.0 (another image tag).
"""
from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.fakes.helm_chart_repository import serve_chart_repository

CHARTS = ("service", "worker")
VERSIONS = ("1.0.0", "1.1.0")
RESOURCES = {"service": 5, "worker": 3}  # objects one release renders

HELPERS = """\
{{- define "app.fullname" -}}
{{- printf "%s" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- define "app.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}
{{- define "app.selector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
"""

SERVICEACCOUNT = """\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "app.fullname" . }}
  labels: {{- include "app.labels" . | nindent 4 }}
automountServiceAccountToken: false
"""

CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "app.fullname" . }}
  labels: {{- include "app.labels" . | nindent 4 }}
data:
  {{- range $key, $value := .Values.config }}
  {{ $key }}: {{ $value | quote }}
  {{- end }}
"""

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
  labels: {{- include "app.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: {{- include "app.selector" . | nindent 6 }}
  template:
    metadata:
      labels: {{- include "app.labels" . | nindent 8 }}
    spec:
      serviceAccountName: {{ include "app.fullname" . }}
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: app
          {{- $tag := .Values.image.tag | default .Chart.AppVersion }}
          image: "{{ .Values.image.repository }}:{{ $tag }}"
          {{- if .Values.port }}
          ports: [{name: http, containerPort: {{ .Values.port }}}]
          livenessProbe: {httpGet: {path: /healthz, port: http}}
          readinessProbe: {httpGet: {path: /ready, port: http}}
          {{- end }}
          envFrom: [{configMapRef: {name: {{ include "app.fullname" . }}}}]
          resources: {{- toYaml .Values.resources | nindent 12 }}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
"""

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: {{ include "app.fullname" . }}
  labels: {{- include "app.labels" . | nindent 4 }}
spec:
  selector: {{- include "app.selector" . | nindent 4 }}
  ports: [{name: http, port: 80, targetPort: http}]
"""

HPA = """\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "app.fullname" . }}
  labels: {{- include "app.labels" . | nindent 4 }}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: {{ include "app.fullname" . }}}
  minReplicas: {{ .Values.replicas }}
  maxReplicas: {{ mul .Values.replicas 3 }}
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 75}}
"""

VALUES = """\
replicas: 2
port: {port}
image: {{repository: registry.example.com/{name}, tag: ""}}
config: {{LOG_LEVEL: info, MODE: {name}}}
resources:
  requests: {{cpu: 100m, memory: 128Mi}}
  limits: {{memory: 256Mi}}
"""

TEMPLATES = {
    "service": {"serviceaccount.yaml": SERVICEACCOUNT, "configmap.yaml": CONFIGMAP,
                "deployment.yaml": DEPLOYMENT, "service.yaml": SERVICE, "hpa.yaml": HPA},
    "worker": {"serviceaccount.yaml": SERVICEACCOUNT, "configmap.yaml": CONFIGMAP,
               "deployment.yaml": DEPLOYMENT},
}


def write_chart(parent: Path, name: str, version: str) -> Path:
    folder = parent / f"{name}-{version}" / name
    (folder / "templates").mkdir(parents=True)
    (folder / "Chart.yaml").write_text(
        f"apiVersion: v2\nname: {name}\nversion: {version}\nappVersion: \"{version}\"\n",
        encoding="utf-8")
    (folder / "values.yaml").write_text(
        VALUES.format(name=name, port=8080 if name == "service" else 0), encoding="utf-8")
    (folder / "templates" / "_helpers.tpl").write_text(HELPERS, encoding="utf-8")
    for file, text in TEMPLATES[name].items():
        (folder / "templates" / file).write_text(text, encoding="utf-8")
    return folder


@contextmanager
def chart_repository(work: Path) -> Iterator[str]:
    """Every chart at every version, behind a loopback `index.yaml`: its URL."""
    with serve_chart_repository(work / "served") as repo:
        for name in CHARTS:
            for version in VERSIONS:
                repo.publish(write_chart(work / "chart-src", name, version))
        yield repo.url


def releases_yaml(url: str, cluster: str, releases: int, bumped: bool) -> str:
    """The cluster's HelmRepository and `releases` HelmReleases, alternating the charts
    (the PR bumps `service` to 1.1.0 everywhere: `bumped`)."""
    docs = [f"apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\n"
            f"metadata: {{name: charts, namespace: flux-system}}\n"
            f"spec: {{url: \"{url}\", interval: 1h}}\n"]
    for n in range(releases):
        chart = CHARTS[n % len(CHARTS)]
        version = "1.1.0" if bumped and chart == "service" else "1.0.0"
        docs.append(
            f"apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\n"
            f"metadata: {{name: {chart}-{n}, namespace: {cluster}}}\n"
            f"spec:\n  interval: 10m\n  chart:\n    spec:\n      chart: {chart}\n"
            f"      version: \"{version}\"\n"
            f"      sourceRef: {{kind: HelmRepository, name: charts, namespace: flux-system}}\n"
            f"  values:\n    replicas: {2 + n % 3}\n"
            f"    config: {{CLUSTER: {cluster}, RELEASE: \"{n}\"}}\n")
    return "---\n" + "---\n".join(docs)


def chart_resources(releases: int) -> int:
    """Resources the releases add to a cluster: each HelmRelease and what it renders."""
    return 1 + sum(1 + RESOURCES[CHARTS[n % len(CHARTS)]] for n in range(releases))
