"""Filling an ApplicationSet template with one parameter set, as the controller does:
every string of the template (map keys included) is rendered on its own, either with
fasttemplate (`{{path.basename}}`: a flat lookup, strings only, unknown tags left as
they are) or, with `goTemplate: true`, with Go's text/template (gotemplate.py)."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from gitops_guard.render.argo import gotemplate

_TAG = re.compile(r"\{\{(.*?)\}\}", re.S)


def fasttemplate(text: str, params: dict[str, Any]) -> str:
    """valyala/fasttemplate with `{{` `}}`: a tag is replaced only by a string parameter."""
    if "{{" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        value = params.get(match.group(1).strip())
        return value if isinstance(value, str) and match.group(1).strip() else match.group(0)
    return _TAG.sub(one, text)


def replace(text: str, params: dict[str, Any], go: bool, options: Sequence[str] = ()) -> str:
    """One string rendered (Render.Replace); raises gotemplate.TemplateError."""
    return gotemplate.render(text, params, options) if go else fasttemplate(text, params)


def fill(value: Any, params: dict[str, Any], go: bool, options: Sequence[str] = ()) -> Any:
    """A deep copy of `value` with every string (and map key) rendered."""
    if isinstance(value, str):
        return replace(value, params, go, options)
    if isinstance(value, dict):
        return {replace(str(k), params, go, options): fill(v, params, go, options)
                for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, params, go, options) for v in value]
    return value
