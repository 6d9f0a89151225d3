"""The `plan:` section of `.gitops-guard.yaml`.

```yaml
plan:
  noise:
    disable: [app-version-label]          # built-in rules to turn off
    extra:                                # more rules: a name and a field-path glob
      - {name: argo-tracking, path: "metadata.annotations.argocd.argoproj.io/*"}
  secret_patterns: ["*password*", "spec.values.*token*"]   # field-path globs to mask
```
"""
from __future__ import annotations

from gitops_guard.config import Config
from gitops_guard.plan.engine import DiffSettings
from gitops_guard.plan.masking import SecretMasker
from gitops_guard.plan.noise import NoiseFilter, noise_rules


def diff_settings(config: Config, default_namespace: str | None = None,
                  report_removed: bool = True) -> DiffSettings:
    rules = noise_rules(config.plan.noise_disable, list(config.plan.noise_extra))
    return DiffSettings(
        noise=NoiseFilter(rules),
        masker=SecretMasker(config.plan.secret_patterns),
        default_namespace=default_namespace or "default",
        report_removed=report_removed,
    )
