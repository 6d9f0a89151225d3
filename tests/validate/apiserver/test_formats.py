"""The string formats Kubernetes validates names, keys and quantities with (apimachinery's
validation package): valid values give no reason, invalid ones say why."""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from gitops_guard.validate.apiserver import formats

OK: tuple[str, ...] = ()


@pytest.mark.parametrize(("check", "value", "valid"), [
    (formats.dns1123_label, "web-1", True),
    (formats.dns1123_label, "1web", True),
    (formats.dns1123_label, "Web", False),
    (formats.dns1123_label, "web.one", False),
    (formats.dns1123_label, "-web", False),
    (formats.dns1123_label, "a" * 63, True),
    (formats.dns1123_label, "a" * 64, False),
    (formats.dns1035_label, "web-1", True),
    (formats.dns1035_label, "1web", False),  # a service name must start with a letter
    (formats.dns1123_subdomain, "web.example.com", True),
    (formats.dns1123_subdomain, "web_1", False),
    (formats.dns1123_subdomain, "a" * 254, False),
    (formats.dns1123_subdomain_underscore, "_srv.example.com", True),
    (formats.dns1123_subdomain_underscore, "Srv.example", False),
    (formats.qualified_name, "app.kubernetes.io/name", True),
    (formats.qualified_name, "MyKey_1", True),
    (formats.qualified_name, "a/b/c", False),
    (formats.qualified_name, "/name", False),
    (formats.qualified_name, "example.com/", False),
    (formats.qualified_name, "Example.com/name", False),
    (formats.qualified_name, "-name", False),
    (formats.label_value, "", True),
    (formats.label_value, "v1.2_3", True),
    (formats.label_value, "v1 2", False),
    (formats.label_value, "a" * 64, False),
    (formats.port_name, "http-web", True),
    (formats.port_name, "8080", False),
    (formats.port_name, "http--web", False),
    (formats.port_name, "-http", False),
    (formats.port_name, "HTTP", False),
    (formats.port_name, "a-very-long-port-name", False),
    (formats.config_key, "app.properties", True),
    (formats.config_key, "KEY_NAME", True),
    (formats.config_key, "..data", False),
    (formats.config_key, ".", False),
    (formats.config_key, "a/b", False),
    (formats.path_segment, "role:view", True),
    (formats.path_segment, "..", False),
    (formats.path_segment, "a/b", False),
    (formats.path_segment, "100%", False),
    (formats.percent, "25%", True),
    (formats.percent, "25", False),
    (formats.percent, "2.5%", False),
])
def test_formats(check: Callable[[str], tuple[str, ...]], value: str, valid: bool) -> None:
    reasons = check(value)
    assert (reasons == OK) == valid, reasons
    assert all(isinstance(r, str) and r for r in reasons)


def test_every_broken_part_of_a_key_is_named() -> None:
    prefix, name = formats.qualified_name("Bad_Prefix/-name-")
    assert prefix.startswith("prefix part a lowercase RFC 1123 subdomain must consist of")
    assert name.startswith("name part must consist of alphanumeric characters")
    assert formats.port_name("--") == (
        "must contain at least one letter (a-z)", "must not contain consecutive hyphens",
        "must not begin or end with a hyphen")


@pytest.mark.parametrize(("name", "strict", "relaxed"), [
    ("MY_ENV.NAME", True, True),
    ("my-env", True, True),
    ("1_STARTS_WITH_DIGIT", False, True),
    ("HAS SPACE", False, True),
    ("HAS=EQUALS", False, False),
    ("", False, False),
])
def test_env_var_names_strict_before_1_32_relaxed_after(
        name: str, strict: bool, relaxed: bool) -> None:
    assert (formats.env_var_name(name, relaxed=False) == OK) == strict
    assert (formats.env_var_name(name, relaxed=True) == OK) == relaxed


@pytest.mark.parametrize(("value", "number"), [
    ("1Gi", Decimal(2**30)),
    ("512Mi", Decimal(512 * 2**20)),
    ("500m", Decimal("0.5")),
    ("1.5", Decimal("1.5")),
    ("2k", Decimal(2000)),
    ("1e3", Decimal(1000)),
    ("+4", Decimal(4)),
    (3, Decimal(3)),
    (0.25, Decimal("0.25")),
    ("1GB", None),
    ("Gi", None),
    ("1e99999999999999999999", None),  # past Decimal's exponent range: refused, no crash
    (True, None),
    (None, None),
    ([1], None),
])
def test_quantities(value: object, number: Decimal | None) -> None:
    assert formats.parse_quantity(value) == number
    assert (formats.quantity(value) == OK) == (number is not None)


def test_parses_turns_a_parser_into_a_check() -> None:
    is_int = formats.parses(int)
    assert is_int("42") and not is_int("4.2")
