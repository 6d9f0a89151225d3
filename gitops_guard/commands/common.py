"""Flags and output handling every command shares, declared once."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gitops_guard.errors import UsageError


def add_config_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE", help="config file (default: nearest "
                   ".gitops-guard.yaml at or above the current directory)")


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
