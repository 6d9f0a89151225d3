"""Kubernetes' string formats: names, label keys and values, quantities, port names.

Follows k8s.io/apimachinery pkg/util/validation/validation.go and
pkg/api/validate/content/{dns,kube}.go (regexes and messages as the API server words
them), and pkg/api/resource/quantity.go for the Quantity grammar. Each check returns
the reasons a value is invalid, empty when valid; the name checks are memoized, since the
same label keys and values recur on every resource of a repository.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import lru_cache

_DNS1123_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_LABEL_RE = re.compile(f"^{_DNS1123_LABEL}$")
_DNS1123_SUBDOMAIN_RE = re.compile(rf"^{_DNS1123_LABEL}(\.{_DNS1123_LABEL})*$")
_DNS1035_LABEL_RE = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_UNDERSCORE_LABEL = r"_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?"
_UNDERSCORE_SUBDOMAIN_RE = re.compile(rf"^{_UNDERSCORE_LABEL}(\.{_UNDERSCORE_LABEL})*$")
_LABEL_KEY_NAME = r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_LABEL_KEY_NAME_RE = re.compile(f"^{_LABEL_KEY_NAME}$")
_LABEL_VALUE_RE = re.compile(f"^({_LABEL_KEY_NAME})?$")
_PORT_NAME_RE = re.compile(r"^[-a-z0-9]+$")
_CONFIG_KEY_RE = re.compile(r"^[-._a-zA-Z0-9]+$")
_PERCENT_RE = re.compile(r"^[0-9]+%$")
_QUANTITY_RE = re.compile(
    r"^(?P<num>[+-]?(\d+(\.\d*)?|\.\d+))"
    r"(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?$")

_SUBDOMAIN_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                  "characters, '-' or '.', and must start and end with an alphanumeric "
                  "character (e.g. 'example.com')")
_UNDERSCORE_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                   "characters, '_', '-' or '.', and must start and end with an alphanumeric "
                   "character (e.g. 'example.com')")
_LABEL_MSG = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters "
              "or '-', and must start and end with an alphanumeric character "
              "(e.g. 'my-name', or '123-abc')")
_DNS1035_MSG = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
                "start with an alphabetic character, and end with an alphanumeric character "
                "(e.g. 'my-name', or 'abc-123')")
_KEY_MSG = ("must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
            "with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc')")
_VALUE_MSG = ("a valid label must be an empty string or consist of alphanumeric characters, "
              "'-', '_' or '.', and must start and end with an alphanumeric character "
              "(e.g. 'MyValue', or 'my_value', or '12345')")
_QUANTITY_MSG = "must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {"m": Decimal("0.001"), "": Decimal(1), "k": Decimal(10**3), "M": Decimal(10**6),
            "G": Decimal(10**9), "T": Decimal(10**12), "P": Decimal(10**15),
            "E": Decimal(10**18)}


Reasons = tuple[str, ...]
_memo = lru_cache(maxsize=8192)


def _too_long(value: str, limit: int) -> Reasons:
    return (f"must be no more than {limit} characters",) if len(value) > limit else ()


@_memo
def dns1123_label(value: str) -> Reasons:
    return _too_long(value, 63) + (() if _DNS1123_LABEL_RE.match(value) else (_LABEL_MSG,))


@_memo
def dns1123_subdomain(value: str) -> Reasons:
    ok = _DNS1123_SUBDOMAIN_RE.match(value)
    return _too_long(value, 253) + (() if ok else (_SUBDOMAIN_MSG,))


def dns1123_subdomain_underscore(value: str) -> Reasons:
    """apimachinery IsDNS1123SubdomainWithUnderscore (DNS search paths, from 1.33)."""
    ok = _UNDERSCORE_SUBDOMAIN_RE.match(value)
    return _too_long(value, 253) + (() if ok else (_UNDERSCORE_MSG,))


@_memo
def dns1035_label(value: str) -> Reasons:
    return _too_long(value, 63) + (() if _DNS1035_LABEL_RE.match(value) else (_DNS1035_MSG,))


def path_segment(value: str) -> Reasons:
    """apimachinery path.IsValidPathSegmentName: the only rule for names of kinds whose
    validation names no stricter format (RBAC roles, for instance)."""
    if value in (".", ".."):
        return (f"may not be '{value}'",)
    bad = [c for c in ("/", "%") if c in value]
    return tuple(f"may not contain '{c}'" for c in bad)


@_memo
def qualified_name(value: str) -> Reasons:
    """A label or annotation key: an optional DNS subdomain prefix, '/', a 63-char name."""
    parts = value.split("/")
    if len(parts) > 2:
        return (f"a qualified name {_KEY_MSG} with an optional DNS subdomain prefix and '/' "
                "(e.g. 'example.com/MyName')",)
    errs: list[str] = []
    name = parts[-1]
    if len(parts) == 2:
        prefix = parts[0]
        errs += (["prefix part must be non-empty"] if not prefix
                 else [f"prefix part {m}" for m in dns1123_subdomain(prefix)])
    if not name:
        return (*errs, "name part must be non-empty")
    errs += [f"name part {m}" for m in _too_long(name, 63)]
    if not _LABEL_KEY_NAME_RE.match(name):
        errs.append(f"name part {_KEY_MSG}")
    return tuple(errs)


@_memo
def label_value(value: str) -> Reasons:
    return _too_long(value, 63) + (() if _LABEL_VALUE_RE.match(value) else (_VALUE_MSG,))


@_memo
def port_name(value: str) -> Reasons:
    """IsValidPortName (IANA_SVC_NAME)."""
    errs = list(_too_long(value, 15))
    if not _PORT_NAME_RE.match(value):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not re.search("[a-z]", value):
        errs.append("must contain at least one letter (a-z)")
    if "--" in value:
        errs.append("must not contain consecutive hyphens")
    if value.startswith("-") or value.endswith("-"):
        errs.append("must not begin or end with a hyphen")
    return tuple(errs)


@_memo
def config_key(value: str) -> Reasons:
    """IsConfigMapKey: ConfigMap and Secret data keys."""
    errs = list(_too_long(value, 253))
    if not _CONFIG_KEY_RE.match(value):
        errs.append("a valid config key must consist of alphanumeric characters, '-', '_' or "
                    "'.' (e.g. 'key.name', or 'KEY_NAME', or 'key-name')")
    if value in (".", ".."):
        errs.append(f"must not be '{value}'")
    elif value.startswith(".."):
        errs.append("must not start with '..'")
    return tuple(errs)


_ENV_NAME_RE = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")
_RELAXED_ENV_RE = re.compile(r"^[\x20-\x3c\x3e-\x7e]+$")


@_memo
def env_var_name(value: str, relaxed: bool) -> Reasons:
    """IsEnvVarName before Kubernetes 1.32; IsRelaxedEnvVarName (printable ASCII but '=')
    from 1.32, when RelaxedEnvironmentVariableValidation became on by default."""
    if relaxed:
        return () if _RELAXED_ENV_RE.match(value) else (
            "a valid environment variable name must consist only of printable ASCII "
            "characters other than '='",)
    return () if _ENV_NAME_RE.match(value) else (
        "a valid environment variable name must consist of alphabetic characters, digits, "
        "'_', '-', or '.', and must not start with a digit (e.g. 'my.env-name', or "
        "'MY_ENV.NAME', or 'MyEnvName1')",)


def percent(value: str) -> Reasons:
    if _PERCENT_RE.match(value):
        return ()
    return ("a valid percent string must be a numeric string followed by an ending '%' "
            "(e.g. '1%', or '93%')",)


def parse_quantity(value: object) -> Decimal | None:
    """The numeric value of a Quantity (a YAML number or a string), None if malformed."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    if not isinstance(value, str):
        return None
    return _parse_text(value)


@_memo
def _parse_text(value: str) -> Decimal | None:
    match = _QUANTITY_RE.match(value)
    if match is None:
        return None
    try:
        number = Decimal(match["num"])
    except InvalidOperation:
        return None
    suffix = match["suffix"] or ""
    if suffix in _BINARY:
        return number * _BINARY[suffix]
    if suffix in _DECIMAL:
        return number * _DECIMAL[suffix]
    try:
        return number.scaleb(int(suffix[1:]))
    except (ArithmeticError, ValueError):  # an exponent past Decimal's (or int's) range
        return None


def quantity(value: object) -> Reasons:
    return () if parse_quantity(value) is not None else (_QUANTITY_MSG,)


def parses(parse: Callable[[str], object]) -> Callable[[str], bool]:
    """A check that `value` is accepted by `parse` (one that raises ValueError/TypeError)."""
    def check(value: str) -> bool:
        try:
            parse(value)
        except (ValueError, TypeError):
            return False
        return True
    return check
