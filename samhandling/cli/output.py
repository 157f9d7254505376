"""Where a command's text goes: standard output, or one file written whole (``-o FILE``)."""

from __future__ import annotations

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
