"""Argo CD: one module per object kind (Application, ApplicationSet) and the
ApplicationSet generators (generators/)."""
