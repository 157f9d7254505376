"""CLI commands for dependency and coverage analysis and for pictures: analyze, impact, graph."""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

import click

from ..analysis.graphs import ModelGraphs, model_graphs
from ..analysis.impact import impact as impact_of
from ..analysis.impact import resolve_service
from ..analysis.report import REPORT_FORMATS, render_impact, render_report
from ..analysis.report import analyze as run_analysis
from ..analysis.views import VIEWS, view_graph
from ..atomic import write_bytes
from ..build import load_model
from ..errors import UsageError
from ..render import ALIASES, FORMATS, output_format
from ..render.aggregate import AGGREGATE_LIMIT, fit_for_slide
from ..render.pptx_diagram import readable_on_slide
from .options import (
    format_option,
    lang_option,
    model_argument,
    output_option,
    quiet_option,
    report_extensions,
    resolve_format,
)
from .output import check_output, emit, terminal_width
from .progress import progress


def _graphs(model_dir: str) -> ModelGraphs:
    return model_graphs(load_model(model_dir))


def _picture_extensions() -> dict[str, tuple[str, ...]]:
    """Each picture/graph format's extensions: its own plus its aliases (``.gv`` for dot)."""
    extensions = {name: [fmt.extension] for name, fmt in FORMATS.items()}
    for alias, name in ALIASES.items():
        if f".{alias}" not in extensions[name]:
            extensions[name].append(f".{alias}")
    return {name: tuple(exts) for name, exts in extensions.items()}


@click.command()
@model_argument
@format_option(REPORT_FORMATS, default="text", help="Report format.")
@lang_option
@output_option()
@quiet_option
def analyze(model_dir: str, fmt: str | None, lang: str, output: Path | None,
            quiet: bool) -> None:
    """Report build order, most depended-on services, coverage and orphans.

    Build order is the layering of the reuse graph (what must exist before what), with any
    cycles named; centrality ranks services by how many reuse them (directly and in total)
    and by betweenness, approximated from 100 samples above 500 services (the report says
    so); coverage gives the share of needs with a service, of services with a preferred
    collaboration form and of actors reached, per main group and per 2023 maturity, and
    what the step-2 packages cover of the declared services; orphans are resources no
    relation reaches.

    Example:

        samhandling analyze model/ --format md --lang en -o report.md
    """
    chosen = resolve_format(fmt, output, report_extensions(REPORT_FORMATS), "text")
    check_output(output)
    with progress(f"loading {model_dir}", quiet=quiet) as shown:
        graphs = _graphs(model_dir)
        shown.step("analysing")
        report = run_analysis(graphs)
    emit(render_report(report, chosen, lang, width=terminal_width(output)), output)


@click.command()
@click.argument("service")
@model_argument
@format_option(REPORT_FORMATS, default="text")
@lang_option
@output_option()
def impact(service: str, model_dir: str, fmt: str | None, lang: str,
           output: Path | None) -> None:
    """List everything affected if SERVICE is delayed or removed.

    SERVICE is a label in either language ("Plan", "Clinical summary"), an id
    (klinisk-oppsummering) or an IRI. Affected are the services that reuse it, directly or
    through others; the needs they handle (and those left with no other service); the
    scenarios those needs arise in; and the actors involved, with counts. An unknown
    service gives exit 2 and the closest labels.

    Example:

        samhandling impact "Undersøkelser, målinger og funn" model/ --lang nb
    """
    chosen = resolve_format(fmt, output, report_extensions(REPORT_FORMATS), "text")
    check_output(output)
    graphs = _graphs(model_dir)
    node = resolve_service(graphs.reuse, service, graphs.index.alt_labels)
    result = impact_of(graphs.reuse, graphs.actors, graphs.hierarchy, node)
    emit(render_impact(result, graphs.index, chosen, lang), output)


@click.command()
@click.argument("view", metavar="VIEW")
@model_argument
@click.option("--format", "fmt", default=None, metavar="FORMAT",
              help=f"One of {', '.join(FORMATS)} (default: from -o's extension, else svg).")
@output_option(help="File to write (needed for png, pdf, pptx); text formats go to stdout "
                    "without it.")
@click.option("--group", type=int, default=None, metavar="N",
              help="Only services of main group N (and what leads to or from them).")
@click.option("--focus", default=None, metavar="SERVICE",
              help="Only what lies within --depth steps of SERVICE (label, id or IRI).")
@click.option("--depth", type=int, default=None, metavar="K",
              help="Steps from --focus (default depends on the view).")
@click.option("--maturity", default=None, metavar="R",
              help="Only services of 2023 maturity R: G, Y or R (or Grønn/Green ...).")
@click.option("--pptx-picture", is_flag=True,
              help="pptx: place the Graphviz PNG instead of native shapes and connectors.")
@click.option("--no-aggregate", is_flag=True,
              help=f"Draw every node: a picture whose labels would fall below 12 pt on a "
                   f"slide (past {AGGREGATE_LIMIT} nodes at the latest) is otherwise drawn "
                   "as its main groups, with a note on stderr.")
@lang_option
def graph(view: str, model_dir: str, fmt: str | None, output: Path | None, group: int | None,
          focus: str | None, depth: int | None, maturity: str | None, pptx_picture: bool,
          no_aggregate: bool, lang: str) -> None:
    """Draw VIEW of the model as a picture or export it as a graph file.

    VIEW is one of: services (who reuses whom), coverage (services and the needs they
    handle), actors (actor, scenario, need, service), forms (preferred collaboration forms),
    programme (steps, packages, services, solutions). Pictures (svg, png, pdf, pptx) are
    laid out by Graphviz for a 16:9 slide: colour per main group with a legend, 2023
    maturity as the border; pptx draws every node as a PowerPoint shape and every edge as a
    connector glued to its shapes (--pptx-picture: the PNG instead). A view of more than
    150 nodes, or a pptx services view too large for 12 pt labels, is drawn as its main
    groups with weighted links (--no-aggregate: every node); another pptx view below 12 pt
    is drawn whole and a note says how to narrow it. graphml
    opens in yEd and Gephi, mermaid renders in GitHub Markdown, json is node-link for web
    tools. Without Graphviz's dot on PATH, svg/png/pdf/pptx exit 2.

    Example:

        samhandling graph services --format png -o docs/img/services.png

        samhandling graph coverage --group 1 --format mermaid --lang en
    """
    if view not in VIEWS:
        raise UsageError(f"unknown view '{view}'; valid views: {', '.join(VIEWS)}")
    named = output_format(fmt).name if fmt is not None else None  # aliases: mmd -> mermaid
    chosen = output_format(resolve_format(named, output, _picture_extensions(), "svg"))
    if output is None and chosen.binary:
        raise UsageError(f"{chosen.name} is a binary format: give a file with -o FILE")
    if pptx_picture and chosen.name != "pptx":
        raise UsageError(f"--pptx-picture is for pptx, not {chosen.name}")
    check_output(output)
    graphs = _graphs(model_dir)
    picture = view_graph(graphs, view, group=group, maturity=maturity, focus=focus,
                         depth=depth)
    if chosen.picture:
        # The 12 pt test is the slide's: a zoomable svg/png/pdf merges only past the node limit.
        readable = partial(readable_on_slide, lang=lang) if chosen.name == "pptx" else None
        picture, note = fit_for_slide(picture, allowed=not no_aggregate, readable=readable)
        if note:
            click.echo(note, err=True)
    data = chosen.write(picture, lang, **({"picture": pptx_picture} if chosen.name == "pptx"
                                          else {}))
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_bytes(output, data)
        click.echo(f"wrote {output} ({chosen.name}, {picture.number_of_nodes()} nodes, "
                   f"{picture.number_of_edges()} edges)", err=True)
