"""Flux's `envsubst` (fluxcd/pkg/envsubst, a drone/envsubst fork), as postBuild runs it.

The same grammar as the Go scanner and parser, so the same text substitutes the same
way and the same mistakes fail: `${var}`, `${#var}`, `${var^}` `${var^^}` `${var,}`
`${var,,}`, `${var:n}` `${var:n:len}`, `${var#p}` `${var##p}` `${var%p}` `${var%%p}`,
`${var/p/r}` `${var//p/r}` `${var/#p/r}` `${var/%p/r}`, `${var=d}` `${var:=d}`
`${var:-d}` (and `:?`, `:+`, which also act as a default). Every default applies when
the value is empty or unset (non-strict mode, the controller's default). `$$` is a
literal `$`, so `$${var}` stays `${var}`. `${var-d}` is a syntax error, as in Flux.
"""
from __future__ import annotations

from collections.abc import Mapping

from gitops_guard.render.flux.envsubst_ops import apply
from gitops_guard.render.flux.envsubst_parse import Node, Parser


def _eval(node: Node, variables: Mapping[str, str]) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, list):
        return "".join(_eval(n, variables) for n in node)
    args = [_eval(a, variables) for a in node.args]
    return apply(node.name, variables.get(node.param, ""), args)


def envsubst(text: str, variables: Mapping[str, str]) -> str:
    """`text` with every `${...}` expanded from `variables` (unset = empty), as Flux does."""
    if "$" not in text:
        return text
    return _eval(Parser(text).any(), variables)
