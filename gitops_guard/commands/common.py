"""Flags and output handling every command shares, declared once."""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from gitops_guard.config import Config
from gitops_guard.errors import UsageError


def add_config_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE", help="config file (default: nearest "
                   ".gitops-guard.yaml at or above the current directory)")


def add_fetch_charts_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--fetch-charts", action=argparse.BooleanOptionalAction, default=None,
                   help="fetch remote Helm charts not in the chart cache (default: check no, "
                        "diff and ci yes; config fetch_charts)")


def with_fetch(config: Config, flag: bool | None, command_default: bool) -> Config:
    """`config` with `fetch_charts` decided for this command (render/charts/options.py):
    the flag, else the config's `fetch_charts`, else the command's default."""
    fetch = flag if flag is not None else config.render.fetch_charts
    return replace(config, render=replace(
        config.render, fetch_charts=command_default if fetch is None else fetch))


def add_color_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the text output (auto: only on a terminal)")


def write_output(text: str, output_file: str | None) -> None:
    """`text` to `--output-file` when given, else to stdout; an unwritable file exits 2."""
    if not output_file:
        sys.stdout.write(text)
        return
    try:
        Path(output_file).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{output_file}: cannot write: {exc.strerror}") from None
