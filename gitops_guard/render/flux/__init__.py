"""Flux controllers: one module per object kind (kustomize-controller, helm-controller),
plus the source-controller objects they read (sources.py) and postBuild substitution."""
