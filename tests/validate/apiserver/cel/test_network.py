"""Kubernetes' CEL ip, cidr and url libraries (validate/apiserver/cel/network.py; ip.go,
cidr.go, urls.go)."""
from __future__ import annotations

from typing import Any

import pytest

from tests.validate.apiserver.cel.helpers import evaluates_to


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
    ("string(ip(self)) == '2001:db8::1' && ip(self) == ip('2001:0db8::0001')",
     "2001:db8::1", True),
    ("ip.isCanonical(self)", "2001:db8:0::1", False),
    ("ip(self).isGlobalUnicast() && !ip(self).isLinkLocalUnicast()", "8.8.8.8", True),
    ("ip(self).isLinkLocalMulticast()", "ff02::1", True),
    ("cidr(self).containsCIDR('10.1.0.0/16') && !cidr(self).containsCIDR('10.0.0.0/7')",
     "10.0.0.0/8", True),
    ("cidr(self).masked() == cidr('10.0.0.0/8') && cidr(self).ip() == ip('10.1.2.3')",
     "10.1.2.3/8", True),
])
def test_network_functions(expression: str, self: Any, want: Any) -> None:
    evaluates_to(expression, self, want)
