"""Flags and output handling every command shares, declared once."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from gitops_guard.config import Config
from gitops_guard.errors import UsageError


def add_config_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE", help="config file (default: the nearest "
                   ".gitops-guard.yaml at or above the current directory, up to the git root)")


def add_fetch_charts_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--fetch-charts", action=argparse.BooleanOptionalAction, default=None,
                   help="fetch remote Helm charts not in the chart cache (default: check no, "
                        "diff and ci yes; config fetch_charts; docs/charts.md)")


def with_fetch(config: Config, flag: bool | None, command_default: bool) -> Config:
    """`config` with `fetch_charts` decided for this command (render/charts/options.py):
    the flag, else the config's `fetch_charts`, else the command's default."""
    fetch = flag if flag is not None else config.render.fetch_charts
    return replace(config, render=replace(
        config.render, fetch_charts=command_default if fetch is None else fetch))


def add_output_flags(p: argparse.ArgumentParser, formats: Iterable[str], what: str,
                     to_file: bool = True) -> None:
    """`-o/--output FORMAT` (default text) and, unless `to_file` is off, `--output-file`."""
    p.add_argument("-o", "--output", choices=sorted(formats), default="text",
                   help=f"the format of {what} (default: text)")
    if to_file:
        p.add_argument("--output-file", metavar="FILE", help=f"write {what} here, not stdout")


def add_rego_flags(p: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """What `check` and `verify` read Rego with: `-d/--data` and `--rego-version`."""
    p.add_argument("-d", "--data", action="append", default=[], metavar="PATH",
                   help="JSON/YAML files merged into Rego `data`; repeatable")
    p.add_argument("--rego-version", choices=("v0", "v1"),
                   help="Rego syntax (default v1)")


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
