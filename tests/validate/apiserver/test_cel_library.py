"""Kubernetes' CEL libraries in the offline engine (validate/apiserver/cel/library.py)."""
from __future__ import annotations

from typing import Any

import pytest

from gitops_guard.validate.apiserver.cel.engine import CelEngine, CelError

ENGINE = CelEngine()


@pytest.mark.parametrize(("expression", "self", "want"), [
    ("isIP(self)", "10.0.0.1", True),
    ("isIP(self)", "::ffff:10.0.0.1", False),  # IPv4-mapped IPv6 is refused, as upstream
    ("isIP(self)", "example.com", False),
    ("ip(self).family()", "fd00::1", 6),
    ("isCIDR(self) && cidr(self).containsIP('10.1.2.3')", "10.0.0.0/8", True),
    ("cidr(self).prefixLength()", "192.168.0.0/16", 16),
    ("isURL(self)", "https://example.com/x", True),
    ("isURL(self)", "example.com", False),
    ("url(self).getHostname() == 'example.com' && url(self).getPort() == '8443'",
     "https://user@example.com:8443/a?b=1", True),
    ("url(self).getQuery()['b'] == ['1', '2'] && url(self).getScheme() == 'https'",
     "https://example.com/?b=1&b=2", True),
    ("isQuantity(self)", "1.5Gi", True),
    ("isQuantity(self)", "1.5.5Gi", False),
    ("quantity(self).isLessThan(quantity('1Gi'))", "512Mi", True),
    ("quantity(self).compareTo(quantity('1000m'))", "1", 0),
    ("quantity(self).sign()", "-1", -1),
    ("quantity(self).isInteger() && quantity(self).asInteger() == 2", "2000m", True),
    ("format.dns1123Label().validate(self) == null", "my-name", True),
    ("format.dns1123Label().validate(self).size()", "My_Name", 1),
    ("format.named('qualifiedName').validate(self) == null", "example.com/x", True),
    ("format.datetime().validate(self) == null", "2026-12-03T06:00:00Z", True),
    ("isSemver(self)", "1.2.3-rc.1", True),
    ("self.isSorted() && self.sum() == 6 && self.max() == 3", [1, 2, 3], True),
    ("sets.contains(self, ['a']) && !sets.intersects(self, ['z'])", ["a", "b"], True),
    ("self.?missing.orValue('d')", {}, "d"),
    ("math.greatest(self, 3)", 7, 7),
])
def test_library_functions(expression: str, self: Any, want: Any) -> None:
    result = ENGINE.evaluate(expression, {"self": self})
    assert (result.error, result.value) == ("", want)


def test_malformed_input_is_an_evaluation_error_not_a_crash() -> None:
    assert "1.5.5Gi" in ENGINE.evaluate("quantity(self).sign()", {"self": "1.5.5Gi"}).error


def test_unknown_functions_do_not_compile_and_are_cached() -> None:
    for _ in range(2):
        with pytest.raises(CelError, match="undeclared reference to 'add'"):
            ENGINE.compile("quantity(self).add(quantity('1')) == quantity('2')")
