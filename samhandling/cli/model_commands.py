"""CLI commands that build the model and write it out: build, export-tables, stats."""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..atomic import write_set
from ..build import load_model
from ..export import GRAPH_FORMATS, graph_writer
from ..export.tables import TABLE_FORMATS, export_tables
from ..stats import STATS_FORMATS, class_counts, render_counts
from .options import (
    format_option,
    lang_option,
    model_argument,
    output_option,
    quiet_option,
    report_extensions,
    resolve_format,
)
from .output import check_output, emit
from .progress import progress

BUILD_BASENAME = "samhandling"


@click.command()
@model_argument
@output_option(folder=True, default=Path("out"), dest="out_dir",
               help="Folder for the graph files.")
@click.option("--format", "formats", multiple=True, type=click.Choice(sorted(GRAPH_FORMATS)),
              help="Formats to write (repeatable); default all.")
@quiet_option
def build(model_dir: str, out_dir: Path, formats: tuple[str, ...], quiet: bool) -> None:
    """Load every source in MODEL_DIR and write the graph as Turtle, N-Triples and JSON-LD.

    Output is byte-identical for the same sources. Also writes sourcemap.json (subject IRI ->
    file:line) so later tools can point at the source.

    Example:

        samhandling build model/ -o out/
    """
    started = time.perf_counter()
    with progress(f"loading {model_dir}", quiet=quiet) as shown:
        model = load_model(model_dir)
        shown.step(f"writing {out_dir}")
        # The set is replaced as a whole (see samhandling.atomic.write_set): never old and new
        # files side by side, never files of two concurrent builds.
        outputs = [(f"{BUILD_BASENAME}{graph_writer(name)[0]}",
                    lambda name=name: graph_writer(name)[1](model))
                   for name in formats or sorted(GRAPH_FORMATS)]
        write_set(out_dir, [*outputs, ("sourcemap.json", model.sourcemap_json)])
    click.echo(f"built {len(model)} triples from {model_dir} into {out_dir} "
               f"in {time.perf_counter() - started:.2f} s", err=True)


@click.command("export-tables")
@model_argument
@output_option(folder=True, required=True, dest="out_dir", help="Folder to write.")
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="yaml",
              show_default=True)
@click.option("--force", is_flag=True,
              help="Replace a non-empty output folder as a whole (default: refuse).")
def export_tables_command(model_dir: str, out_dir: Path, fmt: str, force: bool) -> None:
    """Write the model back to the tabular source format (YAML, CSV or one XLSX workbook).

    Loading the written folder gives an isomorphic graph; triples the tables cannot hold go
    to extra.ttl.

    Example:

        samhandling export-tables model/ --format csv -o tables/
    """
    model = load_model(model_dir)
    for path in export_tables(model.graph, out_dir, fmt, force=force):
        click.echo(str(path))


@click.command()
@model_argument
@format_option(STATS_FORMATS, default="text")
@output_option()
@lang_option
def stats(model_dir: str, fmt: str | None, output: Path | None, lang: str) -> None:
    """Print how many instances each class has, and the number of triples.

    Example:

        samhandling stats model/ --lang en --format md -o stats.md
    """
    chosen = resolve_format(fmt, output, report_extensions(STATS_FORMATS), "text")
    check_output(output)
    model = load_model(model_dir)
    emit(render_counts(class_counts(model.graph, lang), len(model.graph), chosen, lang), output)
