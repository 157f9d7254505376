"""CLI commands that build the model and write it out: build, export-tables, stats."""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..atomic import write_set
from ..build import load_model
from ..export import GRAPH_FORMATS, graph_writer
from ..stats import class_counts
from ..tables import TABLE_FORMATS, export_tables
from .options import lang_option, model_argument, model_option

BUILD_BASENAME = "samhandling"


@click.command()
@model_argument
@click.option("-o", "--out", "out_dir", default="out", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder for the graph files.")
@click.option("--format", "formats", multiple=True, type=click.Choice(sorted(GRAPH_FORMATS)),
              help="Formats to write (repeatable); default all.")
def build(model_dir: str, out_dir: Path, formats: tuple[str, ...]) -> None:
    """Load every source in MODEL_DIR and write the graph as Turtle, N-Triples and JSON-LD.

    Output is byte-identical for the same sources. Also writes sourcemap.json (subject IRI ->
    file:line) so later tools can point at the source.

    Example:

        samhandling build model/ -o out/
    """
    started = time.perf_counter()
    model = load_model(model_dir)
    # The set is replaced as a whole (see samhandling.atomic.write_set): never old and new
    # files side by side, never files of two concurrent builds.
    outputs = [(f"{BUILD_BASENAME}{graph_writer(name)[0]}",
                lambda name=name: graph_writer(name)[1](model))
               for name in formats or sorted(GRAPH_FORMATS)]
    write_set(out_dir, [*outputs, ("sourcemap.json", model.sourcemap_json)])
    click.echo(f"built {len(model)} triples from {model_dir} into {out_dir} "
               f"in {time.perf_counter() - started:.2f} s", err=True)


@click.command("export-tables")
@model_option
@click.option("-o", "--out", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder to write.")
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="yaml",
              show_default=True)
@click.option("--force", is_flag=True,
              help="Replace a non-empty output folder as a whole (default: refuse).")
def export_tables_command(model_dir: str, out_dir: Path, fmt: str, force: bool) -> None:
    """Write the model back to the tabular source format (YAML, CSV or one XLSX workbook).

    Loading the written folder gives an isomorphic graph; triples the tables cannot hold go
    to extra.ttl.

    Example:

        samhandling export-tables --model model/ --format csv -o tables/
    """
    model = load_model(model_dir)
    for path in export_tables(model.graph, out_dir, fmt, force=force):
        click.echo(str(path))


@click.command()
@model_option
@lang_option
def stats(model_dir: str, lang: str) -> None:
    """Print how many instances each class has.

    Example:

        samhandling stats --lang en
    """
    model = load_model(model_dir)
    rows = class_counts(model.graph, lang)
    width = max((len(r.label) for r in rows), default=10)
    for row in rows:
        click.echo(f"{row.label:<{width}}  {row.count:>5}  {row.cls}")
    click.echo(f"{'triples' if lang == 'en' else 'tripler':<{width}}  {len(model.graph):>5}")
