"""Render stage: what Git really deploys, per environment (Kustomize, Helm, Flux, Argo CD).

The contract every caller relies on (the plan diff, `check --env`, `ci`):

    environments_from_config(config) -> dict[str, Environment]
    render_environment(env, root) -> RenderResult   # Documents with env=name, findings GG1xx

Renderers are registered by kind in RENDERERS.
"""
from __future__ import annotations
