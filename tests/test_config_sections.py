"""Each section of .gitops-guard.yaml parsed once into its typed value (config_sections.py)."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from gitops_guard.config import Config, load_config
from gitops_guard.config_sections import (
    BuiltinConfig,
    EnvironmentSpec,
    IgnoreEntry,
    PlanConfig,
    PolicyConfig,
    RenderLimits,
    SuppressionConfig,
)
from gitops_guard.errors import ConfigError


def _load(tmp_path: Path, text: str) -> Config:
    (tmp_path / ".gitops-guard.yaml").write_text(text)
    return load_config(tmp_path / ".gitops-guard.yaml", tmp_path)


@pytest.mark.parametrize(("yaml", "attr", "expect"), [
    ("environments:\n  prod: {path: ./clusters/prod/, kind: helm, values: [a/../v.yaml],"
     " set: {image.tag: '1'}, live: {context: k}, load_restrictor: none}\n",
     "environments", {"prod": EnvironmentSpec(
         "prod", "clusters/prod", kind="helm", values=("v.yaml",),
         set_values={"image.tag": "1"}, live={"context": "k"}, load_restrictor="none")}),
    ("environments:\n  root: {path: /}\n", "environments", {"root": EnvironmentSpec("root", ".")}),
    ("policies: [policy/*]\ndata: [data.yaml]\nnamespaces: [main, team.*]\n"
     "rego_severities: {HIGH: error}\nbuiltin: {enabled: false, disable: [GG501],"
     " options: {GG502: {x: 1}}}\n",
     "policy", PolicyConfig(("policy/*",), ("data.yaml",), ("main", "team.*"),
                            (("high", "error"),), BuiltinConfig(False, ("GG501",),
                                                                {"GG502": {"x": 1}}))),
    ("suppressions: {inline: false, never: [GG2*]}\nignore:\n"
     "  - {rule: GG501, reason: ' legacy ', path: 'apps/*', until: 2030-01-02}\n",
     "suppression", SuppressionConfig(False, True, ("GG2*",), (
         IgnoreEntry(0, "GG501", "legacy", "apps/*", "", date(2030, 1, 2)),))),
    ("plan:\n  noise: {disable: [status], extra: [{name: a, path: 'metadata.x'}]}\n"
     "  secret_patterns: ['*token*']\n",
     "plan", PlanConfig(("status",), (("a", "metadata.x"),), ("*token*",))),
    ("limits: {render_memory_mb: 512}\nfetch_charts: false\nchart_cache: ~/charts\n",
     "render", RenderLimits(512, False, "~/charts")),
    ("argocd: {clusters: [{name: in, server: https://k}]}\n",
     "argocd_clusters", ({"name": "in", "server": "https://k"},)),
    ("min_severity: warning\nskip_kinds: [Secret]\n", "skip_kinds", ("Secret",)),
    ("min_severity: warning\n", "min_severity", "warning"),
])
def test_section_is_parsed_into_its_typed_value(tmp_path: Path, yaml: str, attr: str,
                                                expect: Any) -> None:
    assert getattr(_load(tmp_path, yaml), attr) == expect


@pytest.mark.parametrize("attr", ["environments", "argocd_clusters", "policy", "suppression",
                                  "plan", "render", "min_severity", "skip_kinds"])
def test_an_absent_section_is_its_default(tmp_path: Path, attr: str) -> None:
    assert getattr(_load(tmp_path, "strict: true\n"), attr) == getattr(Config(tmp_path), attr)


def test_a_bad_until_date_is_a_config_error_naming_the_entry(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"ignore\[0\]\.until: '2030-13-01' is not a date"):
        _load(tmp_path, "ignore:\n  - {rule: GG501, reason: r, until: '2030-13-01'}\n")
