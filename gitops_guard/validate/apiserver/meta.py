"""ObjectMeta and label selectors, as every kind's validation starts.

Follows k8s.io/apimachinery pkg/api/validation/objectmeta.go (ValidateObjectMetaAccessor,
ValidateAnnotations, TotalAnnotationSizeLimitB), pkg/apis/meta/v1/validation
(ValidateLabels, ValidateLabelSelector) and the per-kind name functions of
kubernetes pkg/apis/core/validation (ValidateServiceName = NameIsDNS1035Label,
ValidateNamespaceName = NameIsDNSLabel), pkg/apis/rbac/validation (ValidateRBACName =
path.IsValidPathSegmentName) and pkg/apis/batch/validation (CronJob names of at most 52).
Custom resources are named as DNS subdomains (apiextensions-apiserver customresource
validation).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from gitops_guard.model import FieldPath
from gitops_guard.names import is_placeholder
from gitops_guard.validate.apiserver import formats
from gitops_guard.validate.apiserver.report import BAD_LABEL, BAD_NAME, Issues

NameCheck = Callable[[str], Sequence[str]]

TOTAL_ANNOTATION_SIZE = 256 * (1 << 10)
_RBAC = "rbac.authorization.k8s.io"


def _cronjob_name(value: str) -> Sequence[str]:
    return formats.dns1123_subdomain(value) + (
        ("must be no more than 52 characters",) if len(value) > 52 else ())


NAME_RULES: dict[tuple[str, str], NameCheck] = {
    ("", "Namespace"): formats.dns1123_label,
    ("", "Service"): formats.dns1035_label,
    ("batch", "CronJob"): _cronjob_name,
    (_RBAC, "Role"): formats.path_segment,
    (_RBAC, "ClusterRole"): formats.path_segment,
    (_RBAC, "RoleBinding"): formats.path_segment,
    (_RBAC, "ClusterRoleBinding"): formats.path_segment,
}


def name_rule(group: str, kind: str) -> NameCheck:
    return NAME_RULES.get((group, kind), formats.dns1123_subdomain)


def validate_meta(issues: Issues, meta: Any, group: str, kind: str,
                  base: FieldPath = ("metadata",)) -> None:
    if not isinstance(meta, dict):
        return
    check = name_rule(group, kind)
    name, generate = meta.get("name"), meta.get("generateName")
    # A file checked on its own may hold a name a build step replaces; a render holds the
    # replaced one, so rendered documents are always checked.
    raw = issues.doc.env is None
    if isinstance(name, str) and name and not (raw and is_placeholder(name)):
        issues.invalid(BAD_NAME, (*base, "name"), name, check(name))
    elif isinstance(generate, str) and generate:
        masked = generate[:-1] + "a" if generate.endswith("-") else generate
        issues.invalid(BAD_NAME, (*base, "generateName"), generate, check(masked))
    namespace = meta.get("namespace")
    if isinstance(namespace, str) and namespace and not (raw and is_placeholder(namespace)):
        issues.invalid(BAD_NAME, (*base, "namespace"), namespace,
                       formats.dns1123_label(namespace))
    validate_labels(issues, meta.get("labels"), (*base, "labels"))
    validate_annotations(issues, meta.get("annotations"), (*base, "annotations"))


def validate_labels(issues: Issues, labels: Any, path: FieldPath) -> None:
    if not isinstance(labels, dict):
        return
    for key, value in labels.items():
        bad_key = formats.qualified_name(str(key))
        bad_value = formats.label_value(value) if isinstance(value, str) else ()
        if bad_key or bad_value:  # the common case, valid, costs two cache hits
            where = (*path, str(key))
            issues.invalid(BAD_LABEL, where, key, bad_key)
            issues.invalid(BAD_LABEL, where, value, bad_value)


def validate_annotations(issues: Issues, annotations: Any, path: FieldPath) -> None:
    if not isinstance(annotations, dict):
        return
    total = 0
    for key, value in annotations.items():
        bad = formats.qualified_name(str(key).lower())
        if bad:
            issues.invalid(BAD_LABEL, (*path, str(key)), key, bad)
        total += len(str(key)) + (len(value.encode()) if isinstance(value, str) else 0)
    if total > TOTAL_ANNOTATION_SIZE:
        issues.add(BAD_LABEL, path, f"Too long: may not be more than {TOTAL_ANNOTATION_SIZE} "
                   f"bytes (the annotations total {total})")


_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


def validate_selector(issues: Issues, selector: Any, path: FieldPath) -> None:
    """metav1 LabelSelector: matchLabels and matchExpressions."""
    if not isinstance(selector, dict):
        return
    validate_labels(issues, selector.get("matchLabels"), (*path, "matchLabels"))
    expressions = selector.get("matchExpressions")
    for i, expr in enumerate(expressions if isinstance(expressions, list) else ()):
        if not isinstance(expr, dict):
            continue
        where = (*path, "matchExpressions", i)
        op, values = expr.get("operator"), expr.get("values")
        issues.unsupported((*where, "operator"), op, _OPERATORS)
        if op in ("In", "NotIn") and not values:
            issues.add(BAD_LABEL, (*where, "values"),
                       "Required value: must be specified when `operator` is 'In' or 'NotIn'",
                       at=where)
        if op in ("Exists", "DoesNotExist") and values:
            issues.add(BAD_LABEL, (*where, "values"), "Forbidden: may not be specified when "
                       "`operator` is 'Exists' or 'DoesNotExist'")
        key = expr.get("key")
        if isinstance(key, str):
            issues.invalid(BAD_LABEL, (*where, "key"), key, formats.qualified_name(key))
        for j, value in enumerate(values if isinstance(values, list) else ()):
            if isinstance(value, str):
                issues.invalid(BAD_LABEL, (*where, "values", j), value,
                               formats.label_value(value))


def selector_matches(selector: Any, labels: Any) -> bool:
    """Whether a LabelSelector selects an object carrying `labels`."""
    if not isinstance(selector, dict):
        return True
    labels = labels if isinstance(labels, dict) else {}
    match = selector.get("matchLabels")
    if isinstance(match, dict) and any(labels.get(k) != v for k, v in match.items()):
        return False
    expressions = selector.get("matchExpressions")
    for expr in expressions if isinstance(expressions, list) else ():
        if not isinstance(expr, dict):
            continue
        key, op = expr.get("key"), expr.get("operator")
        raw = expr.get("values")
        values: list[Any] = raw if isinstance(raw, list) else []
        present = key in labels
        if (op == "In" and labels.get(key) not in values) or (
                op == "NotIn" and present and labels.get(key) in values) or (
                op == "Exists" and not present) or (op == "DoesNotExist" and present):
            return False
    return True
