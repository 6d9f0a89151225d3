"""Suppression annotations of the tools users migrate from, honoured for the built-in
rules that check the same thing.

    metadata:
      annotations:
        ignore-check.kube-linter.io/privileged-container: "needs the GPU driver"
        kube-linter.io/ignore-all: "vendored chart"
        checkov.io/skip1: CKV_K8S_16=needs the GPU driver

Each becomes a resource-wide suppression of the mapped ids (form `kube-linter` or
`checkov`), so the findings it hides are counted with the others. The annotation's value
is the reason; an empty one still suppresses (the other tool accepted it), with the
annotation named as the reason. A check with no built-in equivalent suppresses nothing,
and a foreign annotation that hides nothing is not reported as unused: it may still be
doing its job for the tool it was written for.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from gitops_guard.evaluate.suppress_sources import Suppression
from gitops_guard.model import Document

KUBE_LINTER_PREFIX = "ignore-check.kube-linter.io/"
KUBE_LINTER_ALL = "kube-linter.io/ignore-all"
CHECKOV_PREFIX = "checkov.io/skip"
FORMS = frozenset({"kube-linter", "checkov"})

# kube-linter check name -> built-in ids (docs.kubelinter.io, "KubeLinter checks").
KUBE_LINTER: dict[str, tuple[str, ...]] = {
    "privileged-container": ("GG301",),
    "privilege-escalation-container": ("GG302",),
    "run-as-non-root": ("GG303",),
    "no-read-only-root-fs": ("GG304",),
    "drop-net-raw-capability": ("GG305",),
    "host-network": ("GG307",),
    "host-pid": ("GG308",),
    "host-ipc": ("GG309",),
    "sensitive-host-mounts": ("GG310",),
    "docker-sock": ("GG310",),
    "writable-host-mount": ("GG310",),
    "unsafe-proc-mount": ("GG314",),
    "unsafe-sysctls": ("GG315",),
    "default-service-account": ("GG317",),
    "unset-cpu-requirements": ("GG401",),
    "unset-memory-requirements": ("GG402", "GG403"),
    "no-liveness-probe": ("GG404",),
    "no-readiness-probe": ("GG405",),
    "minimum-three-replicas": ("GG409",),
    "latest-tag": ("GG501",),
    "use-namespace": ("GG505",),
    "exposed-services": ("GG506",),
    "wildcard-in-rules": ("GG507",),
    "cluster-admin-role-binding": ("GG508",),
    "env-var-secret": ("GG509",),
    "no-extensions-v1beta": ("GG601",),
    "dangling-service": ("GG604",),
    "mismatching-selector": ("GG607",),
}
# checkov check id -> built-in ids (checkov's Kubernetes policy index).
CHECKOV: dict[str, tuple[str, ...]] = {
    "CKV_K8S_8": ("GG404",),
    "CKV_K8S_9": ("GG405",),
    "CKV_K8S_10": ("GG401",),
    "CKV_K8S_12": ("GG402",),
    "CKV_K8S_13": ("GG403",),
    "CKV_K8S_14": ("GG501",),
    "CKV_K8S_15": ("GG504",),
    "CKV_K8S_16": ("GG301",),
    "CKV_K8S_17": ("GG308",),
    "CKV_K8S_18": ("GG309",),
    "CKV_K8S_19": ("GG307",),
    "CKV_K8S_20": ("GG302",),
    "CKV_K8S_21": ("GG505",),
    "CKV_K8S_22": ("GG304",),
    "CKV_K8S_23": ("GG303",),
    "CKV_K8S_25": ("GG306",),
    "CKV_K8S_26": ("GG311",),
    "CKV_K8S_27": ("GG310",),
    "CKV_K8S_28": ("GG305",),
    "CKV_K8S_31": ("GG313",),
    "CKV_K8S_37": ("GG305",),
    "CKV_K8S_38": ("GG317",),
    "CKV_K8S_39": ("GG306",),
    "CKV_K8S_43": ("GG502",),
    "CKV_K8S_49": ("GG507",),
}


def _annotations(doc: Document) -> Mapping[str, object]:
    meta = doc.data.get("metadata") if isinstance(doc.data, dict) else None
    notes = meta.get("annotations") if isinstance(meta, dict) else None
    return notes if isinstance(notes, dict) else {}


def _entries(key: str, value: object) -> Iterable[tuple[str, str, tuple[str, ...]]]:
    """(form, reason, rule ids) for one annotation."""
    text = value.strip() if isinstance(value, str) else ""
    if key.startswith(KUBE_LINTER_PREFIX):
        check = key[len(KUBE_LINTER_PREFIX):]
        yield "kube-linter", text or f"kube-linter annotation {key}", KUBE_LINTER.get(check, ())
    elif key == KUBE_LINTER_ALL:
        every = tuple(sorted({i for ids in KUBE_LINTER.values() for i in ids}))
        yield "kube-linter", text or f"kube-linter annotation {key}", every
    elif key.startswith(CHECKOV_PREFIX) and key[len(CHECKOV_PREFIX):].isdigit():
        check, _, reason = text.partition("=")
        check = check.strip()
        yield ("checkov", reason.strip() or f"checkov annotation {key}: {check}",
               CHECKOV.get(check, ()))


def foreign_suppressions(documents: Iterable[Document]) -> list[Suppression]:
    """A Suppression per built-in id each kube-linter or checkov annotation maps to."""
    found: list[Suppression] = []
    for doc in documents:
        notes = _annotations(doc)
        if not notes or not any(isinstance(k, str) and ("kube-linter.io" in k or
                                                        k.startswith(CHECKOV_PREFIX))
                                for k in notes):
            continue
        for key, value in notes.items():
            if not isinstance(key, str):
                continue
            for form, reason, ids in _entries(key, value):
                where = doc.locate(("metadata", "annotations", key))
                found.extend(Suppression(rule_id, reason, form, where, document=doc)
                             for rule_id in ids)
    return found


def equivalents(rule_id: str) -> list[str]:
    """The other tools' checks whose suppression annotations cover `rule_id`."""
    return [*(f"kube-linter {name}" for name, ids in KUBE_LINTER.items() if rule_id in ids),
            *(f"checkov {name}" for name, ids in CHECKOV.items() if rule_id in ids)]
