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
    ("!format.dns1123Label().validate(self).hasValue()", "my-name", True),
    ("format.dns1123Label().validate(self).value().size()", "My_Name", 1),
    ("format.named('qualifiedName').value().validate(self).hasValue()", "example.com/x",
     False),
    ("format.named('noSuchFormat').hasValue()", "", False),
    ("format.datetime().validate(self).hasValue()", "2026-12-03T06:00:00Z", False),
    ("isSemver(self)", "1.2.3-rc.1", True),
    # quantity arithmetic and equality by amount (quantity.go)
    ("quantity(self).add(quantity('512Mi')) == quantity('1Gi')", "512Mi", True),
    ("quantity(self).add(1).sub(quantity('500m')).asApproximateFloat()", "1", 1.5),
    ("quantity(self).sub(2).sign()", "1", -1),
    ("quantity(self).isInteger()", "9223372036854775808", False),  # past int64
    ("quantity(self).asInteger()", "1.5", "cannot convert value to integer"),
    # semver (semverlib.go, blang/semver ordering)
    ("semver(self).major() * 100 + semver(self).minor() * 10 + semver(self).patch()",
     "1.2.3", 123),
    ("semver(self).isLessThan(semver('1.0.0'))", "1.0.0-rc.1", True),
    ("semver(self).compareTo(semver('1.0.0-alpha.1'))", "1.0.0-alpha.beta", 1),
    ("isSemver(self)", "v1.2", False),
    ("isSemver(self, true) && semver(self, true) == semver('1.2.0')", "v01.2", True),
    ("semver(self).major()", "1.2.03", "invalid semantic version: '1.2.03'"),
    # strings (cel-go ext strings v2, as CEL C++ ships it)
    ("self.lowerAscii().split('-').join('.') + '/' + self.substring(0, 2).upperAscii()",
     "Ab-Cd", "ab.cd/AB"),
    ("self.indexOf('b') + self.lastIndexOf('b') + self.trim().size()", " abcb ", 10),
    # lists (lists.go)
    ("self.indexOf('b') == 1 && self.lastIndexOf('b') == 3 && self.indexOf('z') == -1",
     ["a", "b", "c", "b"], True),
    # regex (regex.go): RE2
    ("self.find('[0-9]+') + ':' + self.findAll('[a-z]').join(',')", "ab12c3", "12:a,b,c"),
    ("self.findAll('[0-9]', 1)", "a1b2", ["1"]),
    ("self.find('(?<=a)b')", "ab", "Illegal regex: invalid perl operator: (?<="),
    # ip and cidr (ip.go, cidr.go)
    ("string(ip(self)) == '2001:db8::1' && ip(self) == ip('2001:0db8::0001')",
     "2001:db8::1", True),
    ("ip.isCanonical(self)", "2001:db8:0::1", False),
    ("ip(self).isGlobalUnicast() && !ip(self).isLinkLocalUnicast()", "8.8.8.8", True),
    ("ip(self).isLinkLocalMulticast()", "ff02::1", True),
    ("cidr(self).containsCIDR('10.1.0.0/16') && !cidr(self).containsCIDR('10.0.0.0/7')",
     "10.0.0.0/8", True),
    ("cidr(self).masked() == cidr('10.0.0.0/8') && cidr(self).ip() == ip('10.1.2.3')",
     "10.1.2.3/8", True),
    ("self.isSorted() && self.sum() == 6 && self.max() == 3", [1, 2, 3], True),
    ("sets.contains(self, ['a']) && !sets.intersects(self, ['z'])", ["a", "b"], True),
    ("self.?missing.orValue('d')", {}, "d"),
    ("math.greatest(self, 3)", 7, 7),
])
def test_library_functions(expression: str, self: Any, want: Any) -> None:
    result = ENGINE.evaluate(expression, {"self": self})
    if result.error:  # an expected error is named by its message
        assert isinstance(want, str) and want in result.error
    else:
        assert result.value == want


def test_malformed_input_is_an_evaluation_error_not_a_crash() -> None:
    assert "1.5.5Gi" in ENGINE.evaluate("quantity(self).sign()", {"self": "1.5.5Gi"}).error


def test_unknown_functions_do_not_compile_and_are_cached() -> None:
    for _ in range(2):
        with pytest.raises(CelError, match="undeclared reference to 'jsonpatch'"):
            ENGINE.compile("jsonpatch.escapeKey(self) == ''")


def test_library_members_do_not_apply_to_plain_values() -> None:
    with pytest.raises(CelError, match="no matching overload for 'sign'"):
        ENGINE.compile("'1'.sign() == 1")
    assert "no such overload" in ENGINE.evaluate("self.sign()", {"self": {"a": "1"}}).error
