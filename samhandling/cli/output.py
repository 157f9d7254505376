"""Where a command's text goes: standard output, or one file written whole (``-o FILE``)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click

from ..atomic import check_parent, write_bytes


def check_output(output: Path | None) -> None:
    """Refuse an ``-o`` whose folder is missing before any slow work starts."""
    if output is not None:
        check_parent(output)


def emit(text: str, output: Path | None) -> None:
    """Print ``text`` or write it to ``output`` atomically (whole or not at all)."""
    if output is None:
        click.echo(text, nl=False)
    else:
        write_bytes(output, text.encode("utf-8"))


def terminal_width(output: Path | None) -> int | None:
    """Columns to wrap text at: the terminal's when printing to one (or $COLUMNS), else None.

    A file or a pipe gets unwrapped lines, so tools and diffs see one item per line.
    """
    if output is not None:
        return None
    try:
        interactive = sys.stdout.isatty()
    except (AttributeError, ValueError):
        interactive = False
    if not interactive and "COLUMNS" not in os.environ:
        return None
    return shutil.get_terminal_size().columns
