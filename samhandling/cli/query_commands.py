"""CLI commands over the SPARQL query library: query and push.

Only argument parsing lives here; :mod:`samhandling.query` does the work. Heavy imports
(rdflib, pyoxigraph) happen inside the commands so ``--help`` and ``--list``
start fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import UsageError
from ..query.format import FORMATS
from .options import (
    lang_option,
    model_argument,
    output_option,
    quiet_option,
    resolve_format,
)
from .output import check_output, emit
from .progress import progress

DEFAULT_TIMEOUT = 30.0
#: Extensions that name each result format when -o is given without --format.
_EXTENSIONS = {"table": (".txt", ".text", ".log"), "csv": (".csv",), "json": (".json",),
               "md": (".md", ".markdown"), "nt": (".nt",)}
#: Query kinds as --list shows them in Norwegian.
_KINDS_NB = {"report": "rapport", "violation": "brudd", "construct": "konstruksjon"}


@click.command(context_settings={"max_content_width": 100})
@click.argument("name", required=False, metavar="[NAME | FILE.rq]")
@model_argument
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter declared in the query's header (repeatable). Where a "
                   "resource is expected, give its id, segment/id, notation, label or full IRI.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              show_default="from -o's extension, else table",
              help="Output format (nt only for CONSTRUCT queries).")
@output_option()
@lang_option
@click.option("--endpoint", metavar="URL",
              help="Run on this SPARQL 1.1 query endpoint instead of the local model, e.g. "
                   "http://127.0.0.1:7878/query.")
@click.option("--graph", "graph_iri", metavar="IRI",
              help="With --endpoint: query this named graph (sent as default-graph-uri).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=DEFAULT_TIMEOUT,
              show_default=True, help="Seconds the query may take in all, on the model or the "
                                      "endpoint; it is stopped then (exit 2).")
@click.option("--max-answer-mb", type=click.FloatRange(min=0.001), default=None, metavar="MIB",
              help="With --endpoint: refuse an answer larger than this [default: "
                   "$SAMHANDLING_MAX_ANSWER_MB, else 256].")
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default=None,
              help="Local engine: oxigraph (default, fast) or rdflib (the reference).")
@click.option("--allow-service", is_flag=True,
              help="Let a query on the local model call other endpoints with SERVICE.")
@click.option("--list", "list_only", is_flag=True, help="List the library's queries and exit.")
def query(name: str | None, model_dir: str, params: tuple[str, ...], fmt: str | None,
          output: Path | None, lang: str,
          endpoint: str | None, graph_iri: str | None, timeout: float,
          max_answer_mb: float | None, engine: str | None,
          allow_service: bool, list_only: bool) -> None:
    """Run a query of the library by NAME, or an ad-hoc FILE.rq.

    The query runs on MODEL_DIR (built in memory, with the ontology), or on a SPARQL
    endpoint with --endpoint. Credentials for an endpoint come only from the environment:
    SAMHANDLING_SPARQL_USER and SAMHANDLING_SPARQL_PASSWORD (basic), or
    SAMHANDLING_SPARQL_TOKEN (bearer).

    Exit status: 0 done; 1 a *-violation query returned rows; 2 usage error, a query or model
    that does not load, or an endpoint that failed.

    Example:

    \b
        samhandling query --list
        samhandling query services-per-group --lang en
        samhandling query reuse-of-service -p service=plan --format csv
        samhandling query search -p text=lege \\
            --endpoint http://127.0.0.1:7878/query
    """
    from ..query import format as fmt_mod
    from ..query.library import find_query, list_queries

    fmt = resolve_format(fmt, output, _EXTENSIONS, "table")
    check_output(output)
    if list_only:
        if name or params:
            raise UsageError("--list takes no query name or parameters")
        emit(_listing(list_queries(), lang), output)
        return
    if not name:
        raise UsageError("give a query NAME or FILE.rq, or --list to see the library")
    if graph_iri and not endpoint:
        raise UsageError("--graph needs --endpoint (the local store holds one graph)")
    if endpoint and (engine or allow_service):
        raise UsageError("--engine and --allow-service apply to the local model, not to "
                         "--endpoint")

    from ..query.params import parse_assignments
    from ..query.run import execute

    selected = find_query(name)
    values = parse_assignments(params)
    for key in values:
        selected.param(key)  # an unknown name fails before any model or endpoint is touched
    runner = _engine(model_dir, endpoint, graph_iri, (timeout, max_answer_mb),
                     engine or "oxigraph",
                     allow_service)
    outcome = execute(selected, runner, values, lang)
    emit(fmt_mod.render(outcome.result, fmt, lang=lang, columns=selected.titles()), output)
    count = fmt_mod.row_count_line(outcome.result, lang)
    if count:
        click.echo(count, err=True)
    if outcome.found_problem:
        click.get_current_context().exit(1)


def _engine(model_dir: str, endpoint: str | None, graph_iri: str | None,
            limits: tuple[float, float | None],
            engine: str, allow_service: bool):
    if endpoint:
        from ..query.remote import RemoteEngine

        return RemoteEngine(endpoint, graph=graph_iri, timeout=limits[0],
                            max_answer_mb=limits[1])
    from ..query.run import Dataset, local_engine

    return local_engine(Dataset.load(model_dir), engine, allow_service=allow_service,
                        timeout=limits[0])


def _listing(queries: list, lang: str) -> str:
    width = max((len(q.name) for q in queries), default=10)
    lines = []
    for q in queries:
        kind = _KINDS_NB.get(q.kind, q.kind) if lang == "nb" else q.kind
        lines.append(f"{q.name:<{width}}  {kind:<12}  {q.summary_in(lang)}")
        for param in q.params:
            lines.append(f"{'':<{width}}    -p {param.describe(lang)}")
    return "\n".join(lines) + ("\n" if lines else "")


@click.command()
@model_argument
@click.option("--store", required=True, metavar="URL",
              help="The SPARQL 1.1 Graph Store endpoint, e.g. http://127.0.0.1:7878/store.")
@click.option("--graph", "graph_iri", metavar="IRI",
              help="Replace this named graph (default: the store's default graph).")
@click.option("--without-ontology", is_flag=True,
              help="Push the model only, without the ontology's classes and labels.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=DEFAULT_TIMEOUT,
              show_default=True, help="Seconds to wait for the store.")
@quiet_option
def push(model_dir: str, store: str, graph_iri: str | None, without_ontology: bool,
         timeout: float, quiet: bool) -> None:
    """Build MODEL_DIR and load it into a triple store, replacing one graph in one PUT.

    The graph holds the model plus the ontology (unless --without-ontology), the same data
    `samhandling query` reads locally, so library queries give the same rows with --endpoint.
    Credentials come only from the environment (see `samhandling query --help`).

    Example:

    \b
        samhandling push model/ --store http://127.0.0.1:7878/store
        samhandling push --store http://127.0.0.1:7878/store \\
            --graph https://example.org/g
    """
    from ..query.push import push_ntriples
    from ..query.remote import check_url, credentials_from_env
    from ..query.run import Dataset
    from ..query.terms import check_iri

    check_url(store, "graph store")
    if graph_iri is not None:
        check_iri(graph_iri)
    credentials = credentials_from_env()
    with progress(f"loading {model_dir}", quiet=quiet) as shown:
        dataset = Dataset.load(model_dir, with_ontology=not without_ontology)
        shown.step(f"pushing to {store}")
        report = push_ntriples(dataset.ntriples, store, graph_iri=graph_iri, timeout=timeout,
                               credentials=credentials)
    click.echo(report.describe(), err=True)
