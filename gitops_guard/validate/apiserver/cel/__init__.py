"""CEL for the API-server stage: the engine and Kubernetes' libraries."""
