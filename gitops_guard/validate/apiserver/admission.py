"""ValidatingAdmissionPolicies and their bindings among the inputs, applied as on create.

Follows k8s.io/apiserver pkg/admission/plugin/policy/validating (and policy/matching,
policy/generic): a binding names a policy; a resource is in scope when it matches the
policy's matchConstraints and the binding's matchResources (resourceRules by group,
version and plural resource for CREATE, excludeResourceRules, namespaceSelector,
objectSelector), then every matchCondition holds; `variables` are bound in order; each
validation that is false is a denial (validationActions Deny: an error; Warn: a warning;
Audit alone: nothing), worded as the API server words it. Params come from the repo
(paramRef by name, or by selector: every match is checked). auditAnnotations are ignored.
An expression that errs or needs the authorizer is noted (GG237), not guessed.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gitops_guard.kinds import CLUSTER_SCOPED
from gitops_guard.model import Document, Finding, Severity
from gitops_guard.validate.apiserver.cel.engine import CelEngine, CelError
from gitops_guard.validate.apiserver.meta import selector_matches
from gitops_guard.validate.apiserver.report import ADMISSION_DENIED, NOT_EVALUATED, SOURCE

GROUP = "admissionregistration.k8s.io"
_IRREGULAR = {"Endpoints": "endpoints", "NetworkPolicy": "networkpolicies",
              "PodSecurityPolicy": "podsecuritypolicies", "Ingress": "ingresses",
              "IngressClass": "ingressclasses", "PriorityClass": "priorityclasses",
              "StorageClass": "storageclasses", "RuntimeClass": "runtimeclasses"}


def _spec(doc: Document) -> dict[str, Any]:
    spec = doc.data.get("spec")
    return spec if isinstance(spec, dict) else {}


def _name(doc: Document) -> str:
    return doc.resource.name if doc.resource is not None else ""


def plural(kind: str, plurals: dict[str, str]) -> str:
    """The resource name a rule matches: a CRD's spec.names.plural, else Kubernetes' own."""
    if kind in plurals:
        return plurals[kind]
    if kind in _IRREGULAR:
        return _IRREGULAR[kind]
    lower = kind.lower()
    if lower.endswith("y") and lower[-2:-1] not in "aeiou":
        return lower[:-1] + "ies"
    return lower + ("es" if lower.endswith(("s", "x", "ch", "sh")) else "s")


@dataclass(frozen=True)
class Binding:
    policy: Document
    binding: Document

    @property
    def label(self) -> str:
        return (f"ValidatingAdmissionPolicy '{_name(self.policy)}' with binding "
                f"'{_name(self.binding)}'")


def bindings(documents: Sequence[Document]) -> list[Binding]:
    policies: dict[str, Document] = {}
    found: list[tuple[str, Document]] = []
    for doc in documents:
        key = doc.resource
        if key is None or key.group != GROUP:
            continue
        if key.kind == "ValidatingAdmissionPolicy":
            policies.setdefault(key.name, doc)
        elif key.kind == "ValidatingAdmissionPolicyBinding":
            found.append((str(_spec(doc).get("policyName", "")), doc))
    return [Binding(policies[name], doc) for name, doc in found if name in policies]


def _listed(values: Any, value: str) -> bool:
    return isinstance(values, list) and ("*" in values or value in values)


def _rule_matches(rule: Any, group: str, version: str, resource: str) -> bool:
    if not isinstance(rule, dict):
        return False
    operations = rule.get("operations", ["*"])
    return (_listed(rule.get("apiGroups"), group) and _listed(rule.get("apiVersions"), version)
            and _listed(rule.get("resources"), resource)
            and _listed(operations, "CREATE")
            and not rule.get("resourceNames"))


@dataclass(frozen=True)
class Target:
    """One resource as an admission request sees it."""

    doc: Document
    group: str
    version: str
    resource: str
    namespace_labels: dict[str, Any] | None  # None: cluster-scoped

    def matches(self, match: Any) -> bool:
        if match is None:
            return True
        if not isinstance(match, dict):
            return False
        rules = match.get("resourceRules")
        if rules is not None and not any(_rule_matches(r, self.group, self.version,
                                                       self.resource) for r in rules):
            return False
        excluded = match.get("excludeResourceRules") or []
        if any(_rule_matches(r, self.group, self.version, self.resource) for r in excluded):
            return False
        labels = (self.doc.data.get("metadata") or {}).get("labels") or {}
        if not selector_matches(match.get("objectSelector"), labels):
            return False
        return self.namespace_labels is None or selector_matches(
            match.get("namespaceSelector"), self.namespace_labels)


@dataclass
class AdmissionCheck:
    """Every binding applied to every resource it matches."""

    documents: Sequence[Document]
    engine: CelEngine
    plurals: dict[str, str]

    def __post_init__(self) -> None:
        self.bound = bindings(self.documents)
        self.namespaces: dict[str, dict[str, Any]] = {}
        for doc in self.documents:
            key = doc.resource
            if key is not None and key.kind == "Namespace" and key.group == "":
                self.namespaces[key.name] = doc.data
        self.noted: set[tuple[str, str]] = set()
        self.found: list[Finding] = []

    def target(self, doc: Document) -> Target:
        key = doc.resource
        assert key is not None
        version = key.api_version.rpartition("/")[2]
        scoped = (key.group, key.kind) not in CLUSTER_SCOPED
        ns = key.namespace or "default"
        ns_doc = self.namespaces.get(ns, {"metadata": {"name": ns}})
        labels = {**((ns_doc.get("metadata") or {}).get("labels") or {}),
                  "kubernetes.io/metadata.name": ns} if scoped else None
        return Target(doc, key.group, version, plural(key.kind, self.plurals), labels)

    def check(self, doc: Document) -> list[Finding]:
        if not self.bound or doc.resource is None:
            return []
        self.found = []
        target = self.target(doc)
        for bound in self.bound:
            policy, binding = _spec(bound.policy), _spec(bound.binding)
            if target.matches(policy.get("matchConstraints")) and target.matches(
                    binding.get("matchResources")):
                for params in self.params(bound, doc):
                    self.apply(bound, target, params)
        return self.found

    def params(self, bound: Binding, doc: Document) -> list[Any]:
        kind = _spec(bound.policy).get("paramKind")
        ref = _spec(bound.binding).get("paramRef")
        if not isinstance(kind, dict) or not isinstance(ref, dict):
            return [None]
        found = [d.data for d in self.documents if d.resource is not None
                 and d.resource.api_version == kind.get("apiVersion")
                 and d.resource.kind == kind.get("kind")
                 and (ref.get("name") is None or d.resource.name == ref.get("name"))
                 and (ref.get("namespace") is None
                      or d.resource.namespace == ref.get("namespace"))
                 and ("selector" not in ref or selector_matches(
                     ref["selector"], (d.data.get("metadata") or {}).get("labels")))]
        if found:
            return found
        if ref.get("parameterNotFoundAction") == "Allow":
            return []
        self.deny(bound, doc, "no params found for policy binding with `Deny` "
                  "parameterNotFoundAction", Severity.ERROR)
        return []

    def _eval(self, bound: Binding, expression: str, data: dict[str, Any]) -> Any:
        """The value, or None after noting why the expression was not evaluated."""
        try:
            result = self.engine.evaluate(expression, data)
        except CelError as exc:
            self.note(bound, expression, f"does not compile offline: {exc}")
            return None
        if result.error:
            self.note(bound, expression, f"could not be evaluated: {result.error}")
            return None
        return result.value

    def apply(self, bound: Binding, target: Target, params: Any) -> None:
        policy = _spec(bound.policy)
        doc = target.doc
        key = doc.resource
        assert key is not None
        data: dict[str, Any] = {
            "object": doc.data, "oldObject": None, "params": params,
            "namespaceObject": self.namespaces.get(key.namespace) if key.namespace else None,
            "request": {"operation": "CREATE", "namespace": key.namespace, "name": key.name,
                        "kind": {"group": target.group, "version": target.version,
                                 "kind": key.kind},
                        "resource": {"group": target.group, "version": target.version,
                                     "resource": target.resource},
                        "userInfo": {}, "dryRun": False},
            "variables": {}}
        for condition in policy.get("matchConditions") or []:
            if isinstance(condition, dict) and isinstance(condition.get(
                    "expression"), str) and self._eval(
                    bound, condition["expression"], data) is not True:
                return
        for var in policy.get("variables") or []:
            if isinstance(var, dict) and isinstance(var.get("expression"), str):
                data["variables"] = {**data["variables"], str(var.get("name")): self._eval(
                    bound, var["expression"], data)}
        actions = _spec(bound.binding).get("validationActions") or ["Deny"]
        severity = (Severity.ERROR if "Deny" in actions else Severity.WARNING
                    if "Warn" in actions else None)
        for rule in policy.get("validations") or []:
            if not isinstance(rule, dict) or not isinstance(rule.get("expression"), str):
                continue
            if self._eval(bound, rule["expression"], data) is False and severity is not None:
                self.deny(bound, doc, self.message(bound, rule, data), severity)

    def message(self, bound: Binding, rule: dict[str, Any], data: dict[str, Any]) -> str:
        text = rule.get("message") if isinstance(rule.get("message"), str) else ""
        if isinstance(rule.get("messageExpression"), str):
            value = self._eval(bound, rule["messageExpression"], data)
            text = value if isinstance(value, str) and value.strip() else text
        return text or f"failed expression: {rule['expression']}"

    def deny(self, bound: Binding, doc: Document, message: str, severity: Severity) -> None:
        self.found.append(Finding(
            ADMISSION_DENIED, severity, f"{bound.label} denied request: {message}",
            doc.locate(()), doc.resource, SOURCE, doc.env))

    def note(self, bound: Binding, expression: str, why: str) -> None:
        key = (_name(bound.policy), expression)
        if key in self.noted:
            return
        self.noted.add(key)
        policy = bound.policy
        self.found.append(Finding(
            NOT_EVALUATED, Severity.INFO, f"ValidatingAdmissionPolicy '{_name(policy)}' "
            f"expression {expression!r} {why}", policy.locate(()), policy.resource, SOURCE,
            policy.env))
