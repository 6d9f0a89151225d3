"""Kubernetes' CEL libraries in the offline engine (validate/apiserver/cel/library.py):
formats, strings, lists, regex, sets, math, optionals."""
from __future__ import annotations

from typing import Any

import pytest

from tests.validate.apiserver.cel.helpers import evaluates_to


@pytest.mark.parametrize(("expression", "self", "want"), [
    ("!format.dns1123Label().validate(self).hasValue()", "my-name", True),
    ("format.dns1123Label().validate(self).value().size()", "My_Name", 1),
    ("format.named('qualifiedName').value().validate(self).hasValue()", "example.com/x",
     False),
    ("format.named('noSuchFormat').hasValue()", "", False),
    ("format.datetime().validate(self).hasValue()", "2026-12-03T06:00:00Z", False),
    ("self.lowerAscii().split('-').join('.') + '/' + self.substring(0, 2).upperAscii()",
     "Ab-Cd", "ab.cd/AB"),
    ("self.indexOf('b') + self.lastIndexOf('b') + self.trim().size()", " abcb ", 10),
    ("self.indexOf('b') == 1 && self.lastIndexOf('b') == 3 && self.indexOf('z') == -1",
     ["a", "b", "c", "b"], True),
    ("self.find('[0-9]+') + ':' + self.findAll('[a-z]').join(',')", "ab12c3", "12:a,b,c"),
    ("self.findAll('[0-9]', 1)", "a1b2", ["1"]),
    ("self.find('(?<=a)b')", "ab", "Illegal regex: invalid perl operator: (?<="),
    ("self.isSorted() && self.sum() == 6 && self.max() == 3", [1, 2, 3], True),
    ("sets.contains(self, ['a']) && !sets.intersects(self, ['z'])", ["a", "b"], True),
    ("self.?missing.orValue('d')", {}, "d"),
    ("math.greatest(self, 3)", 7, 7),
])
def test_library_functions(expression: str, self: Any, want: Any) -> None:
    evaluates_to(expression, self, want)
