"""Kubernetes' CEL quantity and semver libraries (validate/apiserver/cel/quantity.py;
quantity.go, semverlib.go with blang/semver ordering)."""
from __future__ import annotations

from typing import Any

import pytest

from tests.validate.apiserver.cel.helpers import evaluates_to


@pytest.mark.parametrize(("expression", "self", "want"), [
    ("isQuantity(self)", "1.5Gi", True),
    ("isQuantity(self)", "1.5.5Gi", False),
    ("quantity(self).isLessThan(quantity('1Gi'))", "512Mi", True),
    ("quantity(self).compareTo(quantity('1000m'))", "1", 0),
    ("quantity(self).sign()", "-1", -1),
    ("quantity(self).isInteger() && quantity(self).asInteger() == 2", "2000m", True),
    ("isSemver(self)", "1.2.3-rc.1", True),
    ("quantity(self).add(quantity('512Mi')) == quantity('1Gi')", "512Mi", True),
    ("quantity(self).add(1).sub(quantity('500m')).asApproximateFloat()", "1", 1.5),
    ("quantity(self).sub(2).sign()", "1", -1),
    ("quantity(self).isInteger()", "9223372036854775808", False),  # past int64
    ("quantity(self).asInteger()", "1.5", "cannot convert value to integer"),
    ("semver(self).major() * 100 + semver(self).minor() * 10 + semver(self).patch()",
     "1.2.3", 123),
    ("semver(self).isLessThan(semver('1.0.0'))", "1.0.0-rc.1", True),
    ("semver(self).compareTo(semver('1.0.0-alpha.1'))", "1.0.0-alpha.beta", 1),
    ("isSemver(self)", "v1.2", False),
    ("isSemver(self, true) && semver(self, true) == semver('1.2.0')", "v01.2", True),
    ("semver(self).major()", "1.2.03", "invalid semantic version: '1.2.03'"),
])
def test_quantity_and_semver_functions(expression: str, self: Any, want: Any) -> None:
    evaluates_to(expression, self, want)
