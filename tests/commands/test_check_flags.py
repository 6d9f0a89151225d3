"""The flags `check` and `ci` share (gitops_guard/commands/check_flags.py): a flag beats
the config, the config beats the default; unknown rule ids and a bad -j are exit 2."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from gitops_guard.check import CheckOptions
from gitops_guard.cli import build_parser
from gitops_guard.commands.check_flags import check_options, selectable_ids
from gitops_guard.config import load_config
from gitops_guard.errors import UsageError
from tests.conftest import RunCli


def _options(tmp_path: Path, config: str, *flags: str) -> CheckOptions:
    (tmp_path / ".gitops-guard.yaml").write_text(config)
    args: argparse.Namespace = build_parser("check").parse_args(["check", *flags])
    return check_options(args, load_config(tmp_path / ".gitops-guard.yaml", tmp_path),
                         (), ())


def _seen(options: CheckOptions) -> dict[str, Any]:
    schema = options.schema
    return {"strict": schema.strict, "missing": schema.missing_schemas,
            "locations": schema.schema_locations, "engine": schema.engine,
            "apiserver": schema.apiserver, "validate": options.validate_schemas,
            "cache": options.cache, "min_severity": options.min_severity,
            "skip_kinds": options.skip_kinds, "jobs": options.jobs}


DEFAULTS = {"strict": True, "missing": "warn", "locations": (), "engine": "builtin",
            "apiserver": True, "validate": True, "cache": True, "min_severity": None,
            "skip_kinds": ()}


@pytest.mark.parametrize(("config", "flags", "changed"), [
    ("", (), {}),
    ("strict: false\n", (), {"strict": False}),
    ("strict: false\n", ("--strict",), {}),
    ("", ("--no-strict",), {"strict": False}),
    ("missing_schemas: reject\n", (), {"missing": "reject"}),
    ("missing_schemas: reject\n", ("--ignore-missing-schemas",), {"missing": "ignore"}),
    ("schemas: [crds]\n", ("--schema-location", "more"), {"locations": ("crds", "more")}),
    ("schema_engine: kubeconform\n", (), {"engine": "kubeconform"}),
    ("", ("--schema-engine", "kubeconform"), {"engine": "kubeconform"}),
    ("", ("--no-apiserver",), {"apiserver": False}),
    ("apiserver: {enabled: false}\n", (), {"apiserver": False}),
    ("", ("--no-schema", "--no-cache"), {"validate": False, "cache": False}),
    ("min_severity: warning\n", (), {"min_severity": "warning"}),
    ("min_severity: warning\n", ("--min-severity", "error"), {"min_severity": "error"}),
    ("skip_kinds: [Secret]\n", ("--skip-kind", "apps/Deployment"),
     {"skip_kinds": ("Secret", "apps/Deployment")}),
], ids=lambda v: str(v) if not isinstance(v, dict) else "")
def test_a_flag_beats_the_config_and_the_config_the_default(
        tmp_path: Path, config: str, flags: tuple[str, ...], changed: dict[str, Any]) -> None:
    seen = _seen(_options(tmp_path, config, *flags))
    seen.pop("jobs")
    assert seen == {**DEFAULTS, **changed}


def test_jobs_default_to_the_cpu_count(tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 3)
    assert _options(tmp_path, "").jobs == 3
    assert _options(tmp_path, "", "-j", "1").jobs == 1


def test_enable_and_disable_switch_the_configs_list(tmp_path: Path) -> None:
    config = "builtin: {disable: [GG302, GG303]}\n"
    options = _options(tmp_path, config, "--enable", "GG302", "--disable", "GG404")
    assert set(options.policy.disabled) == {"GG303", "GG404"}


@pytest.mark.parametrize("flag", ["--enable", "--disable"])
def test_an_unknown_rule_id_is_a_usage_error(tmp_path: Path, flag: str) -> None:
    with pytest.raises(UsageError, match=rf"{flag} GG999: no such built-in rule"):
        _options(tmp_path, "", flag, "GG999")


def test_selectable_ids_are_builtin_and_core_rules() -> None:
    ids = selectable_ids()
    assert {"GG201", "GG302", "GG004"} <= ids and "GG999" not in ids


def test_jobs_must_be_positive(run_cli: RunCli, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n")
    with pytest.raises(SystemExit) as exc:  # argparse: exit 2, like any bad flag
        run_cli("-C", str(tmp_path), "check", "-j", "0", "a.yaml")
    assert exc.value.code == 2 and "-j/--jobs" in capsys.readouterr().err
