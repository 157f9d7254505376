"""CLI commands for the ArchiMate Open Exchange Format: ``export archimate`` and ``import
archimate`` (groups, so other formats can join them)."""

from __future__ import annotations

from pathlib import Path

import click

from .options import model_argument, output_option
from .output import check_output


@click.group("export")
def export() -> None:
    """Export the model to another tool's format (the tables: see export-tables).

    Example:

        samhandling export archimate model/ -o model.xml
    """


@export.command("archimate")
@model_argument
@output_option(required=True, help="The exchange file to write (whole or not at all).")
@click.option("--views/--no-views", default=True, show_default=True,
              help="Write the services overview and one view per main group (needs Graphviz "
                   "dot).")
def export_archimate_command(model_dir: str, output: Path, views: bool) -> None:
    """Write MODEL_DIR as an ArchiMate 3.1 Open Exchange file that Archi and other tools open.

    Elements, relationships, Archi's folders, properties (IRI, code, maturity, source ...),
    names and documentation in nb and en, and views laid out as `samhandling graph services`
    draws them. Identifiers come from the IRIs: exporting twice gives the same bytes.

    Example:

        samhandling export archimate model/ -o model.xml
    """
    from ..archimate.files import export_archimate

    check_output(output)
    elements, relationships, view_count = export_archimate(model_dir, output, views=views)
    click.echo(f"wrote {output} ({elements} elements, {relationships} relationships, "
               f"{view_count} views)", err=True)


@click.group("import")
def import_group() -> None:
    """Import another tool's model as model sources.

    Example:

        samhandling import archimate model.xml -o imported/
    """


@import_group.command("archimate")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@output_option(folder=True, required=True, dest="out_dir", help="Folder to write.")
@click.option("--force", is_flag=True,
              help="Replace a non-empty output folder as a whole (default: refuse).")
def import_archimate_command(file: Path, out_dir: Path, force: bool) -> None:
    """Read an ArchiMate 3.x Open Exchange FILE and write model sources into a folder.

    Elements written by `export archimate` come back as records; everything else (other
    element types, views, folders, properties) goes to archimate.ttl, which the build loads,
    so exporting again loses nothing. Bad input (not XML, a DTD, ArchiMate 2.1, an unknown
    type, a dangling or duplicate identifier) is reported one line each, exit 2.

    Example:

        samhandling import archimate model.xml -o imported/
    """
    from ..archimate.files import import_archimate

    for path in import_archimate(file, out_dir, force=force):
        click.echo(str(path))
