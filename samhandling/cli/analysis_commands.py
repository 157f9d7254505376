"""CLI commands for dependency and coverage analysis and for pictures: analyze, impact, graph."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..analysis.graphs import ModelGraphs, model_graphs
from ..analysis.impact import impact as impact_of
from ..analysis.impact import resolve_service
from ..analysis.report import REPORT_FORMATS, render_impact, render_report
from ..analysis.report import analyze as run_analysis
from ..analysis.views import VIEWS, view_graph
from ..atomic import check_parent, write_bytes
from ..build import load_model
from ..errors import UsageError
from ..render import FORMATS, format_from_path, output_format
from .options import lang_option, model_option


def _graphs(model_dir: str) -> ModelGraphs:
    return model_graphs(load_model(model_dir))


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=False)
    else:
        write_bytes(out, text.encode("utf-8"))


def _out_option(func):  # type: ignore[no-untyped-def]
    return click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
                        help="Write to FILE (atomically) instead of stdout.")(func)


@click.command()
@model_option
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text",
              show_default=True, help="Report format.")
@lang_option
@_out_option
def analyze(model_dir: str, fmt: str, lang: str, out: Path | None) -> None:
    """Report build order, most depended-on services, coverage and orphans.

    Build order is the layering of the reuse graph (what must exist before what), with any
    cycles named; centrality ranks services by how many reuse them (directly and in total)
    and by betweenness, approximated from 100 samples above 500 services (the report says
    so); coverage gives the share of needs with a service, of services with a preferred
    collaboration form and of actors reached, per main group and per 2023 maturity, and
    what the step-2 packages cover of the declared services; orphans are resources no
    relation reaches.

    Example:

        samhandling analyze --model model/ --format md --lang en
    """
    if out is not None:
        check_parent(out)
    report = run_analysis(_graphs(model_dir))
    _emit(render_report(report, fmt, lang), out)


@click.command()
@click.argument("service")
@model_option
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text",
              show_default=True, help="Output format.")
@lang_option
def impact(service: str, model_dir: str, fmt: str, lang: str) -> None:
    """List everything affected if SERVICE is delayed or removed.

    SERVICE is a label in either language ("Plan", "Clinical summary"), an id
    (klinisk-oppsummering) or an IRI. Affected are the services that reuse it, directly or
    through others; the needs they handle (and those left with no other service); the
    scenarios those needs arise in; and the actors involved, with counts. An unknown
    service gives exit 2 and the closest labels.

    Example:

        samhandling impact "Undersøkelser, målinger og funn" --lang nb
    """
    graphs = _graphs(model_dir)
    node = resolve_service(graphs.reuse, service, graphs.index.alt_labels)
    result = impact_of(graphs.reuse, graphs.actors, graphs.hierarchy, node)
    click.echo(render_impact(result, graphs.index, fmt, lang), nl=False)


@click.command()
@click.argument("view", metavar="VIEW")
@click.option("--format", "fmt", default=None, metavar="FORMAT",
              help=f"One of {', '.join(FORMATS)} (default: from -o's extension, else svg).")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (needed for png, pdf, pptx); text formats go to stdout "
                   "without it.")
@model_option
@click.option("--group", type=int, default=None, metavar="N",
              help="Only services of main group N (and what leads to or from them).")
@click.option("--focus", default=None, metavar="SERVICE",
              help="Only what lies within --depth steps of SERVICE (label, id or IRI).")
@click.option("--depth", type=int, default=None, metavar="K",
              help="Steps from --focus (default depends on the view).")
@click.option("--maturity", default=None, metavar="R",
              help="Only services of 2023 maturity R: G, Y or R (or Grønn/Green ...).")
@lang_option
def graph(view: str, fmt: str | None, out: Path | None, model_dir: str, group: int | None,
          focus: str | None, depth: int | None, maturity: str | None, lang: str) -> None:
    """Draw VIEW of the model as a picture or export it as a graph file.

    VIEW is one of: services (who reuses whom), coverage (services and the needs they
    handle), actors (actor, scenario, need, service), forms (preferred collaboration forms),
    programme (steps, packages, services, solutions). Pictures (svg, png, pdf, pptx) are
    drawn by Graphviz for a 16:9 slide: colour per main group with a legend, 2023 maturity
    as the border. graphml opens in yEd and Gephi, mermaid renders in GitHub Markdown, json
    is node-link for web tools. Without Graphviz's dot on PATH, svg/png/pdf/pptx exit 2.

    Example:

        samhandling graph services --format png -o docs/img/services.png

        samhandling graph coverage --group 1 --format mermaid --lang en
    """
    if view not in VIEWS:
        raise UsageError(f"unknown view '{view}'; valid views: {', '.join(VIEWS)}")
    if fmt is not None:
        chosen = output_format(fmt)
    elif out is not None:
        chosen = format_from_path(out) or output_format("svg")
    else:
        chosen = output_format("svg")
    if out is None and chosen.binary:
        raise UsageError(f"{chosen.name} is a binary format: give a file with -o FILE")
    if out is not None:
        check_parent(out)
    graphs = _graphs(model_dir)
    picture = view_graph(graphs, view, group=group, maturity=maturity, focus=focus,
                         depth=depth)
    data = chosen.write(picture, lang)
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_bytes(out, data)
        click.echo(f"wrote {out} ({chosen.name}, {picture.number_of_nodes()} nodes, "
                   f"{picture.number_of_edges()} edges)", err=True)
