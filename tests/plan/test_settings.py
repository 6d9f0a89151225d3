"""The config's `plan:` section made into the diff engine's settings."""
from __future__ import annotations

from pathlib import Path

from gitops_guard.config import Config, load_config
from gitops_guard.plan.noise import DEFAULT_RULES
from gitops_guard.plan.settings import diff_settings


def test_noise_rules_secret_patterns_and_namespace_from_the_config(tmp_path: Path) -> None:
    disabled = DEFAULT_RULES[0].name
    (tmp_path / "c.yaml").write_text(
        f"plan:\n  noise:\n    disable: [{disabled}]\n    extra:\n"
        "      - {name: argo-tracking, path: 'metadata.annotations.argocd.argoproj.io/*'}\n"
        "  secret_patterns: ['*password*']\n")
    settings = diff_settings(load_config(tmp_path / "c.yaml", tmp_path), "team-a",
                             report_removed=False)
    names = [rule.name for rule in settings.noise.rules]
    assert disabled not in names and names[-1] == "argo-tracking"
    assert settings.masker.patterns == ("*password*",)
    assert (settings.default_namespace, settings.report_removed) == ("team-a", False)


def test_defaults(tmp_path: Path) -> None:
    settings = diff_settings(Config(root=tmp_path))
    assert [r.name for r in settings.noise.rules] == [r.name for r in DEFAULT_RULES]
    assert (settings.default_namespace, settings.report_removed) == ("default", True)
