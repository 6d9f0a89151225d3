"""Flux's envsubst parser: the `${...}` forms kustomize-controller rejects fail the build
(fluxcd/pkg/envsubst's parse errors)."""
from __future__ import annotations

import pytest

from gitops_guard.render.flux.envsubst_parse import Parser, SubstitutionError


@pytest.mark.parametrize("text", [
    "${v-d}",       # only the colon forms and '=' are defaults in Flux
    "${v",          # unclosed
    "${}",          # no name
    "${#}",
])
def test_bad_substitution_fails_the_build(text: str) -> None:
    with pytest.raises(SubstitutionError):
        Parser(text).any()
