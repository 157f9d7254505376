"""CLI commands over the SPARQL query library: query and push.

Only argument parsing lives here; :mod:`samhandling.query` does the work. Heavy imports
(rdflib, pyoxigraph, SPARQLWrapper) happen inside the commands so ``--help`` and ``--list``
start fast.
"""

from __future__ import annotations

import click

from ..errors import UsageError
from ..query.format import FORMATS
from .options import lang_option, model_argument, model_option

DEFAULT_TIMEOUT = 30.0


@click.command(context_settings={"max_content_width": 100})
@click.argument("name", required=False, metavar="[NAME | FILE.rq]")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter declared in the query's header (repeatable). Where a "
                   "resource is expected, give its id, segment/id, notation, label or full IRI.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="Output format (nt only for CONSTRUCT queries).")
@lang_option
@model_option
@click.option("--endpoint", metavar="URL",
              help="Run on this SPARQL 1.1 query endpoint instead of the local model, e.g. "
                   "http://127.0.0.1:7878/query.")
@click.option("--graph", "graph_iri", metavar="IRI",
              help="With --endpoint: query this named graph (sent as default-graph-uri).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=DEFAULT_TIMEOUT,
              show_default=True, help="Seconds to wait for the endpoint.")
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default=None,
              help="Local engine: oxigraph (default, fast) or rdflib (the reference).")
@click.option("--allow-service", is_flag=True,
              help="Let a query on the local model call other endpoints with SERVICE.")
@click.option("--list", "list_only", is_flag=True, help="List the library's queries and exit.")
def query(name: str | None, params: tuple[str, ...], fmt: str, lang: str, model_dir: str,
          endpoint: str | None, graph_iri: str | None, timeout: float, engine: str | None,
          allow_service: bool, list_only: bool) -> None:
    """Run a query of the library by NAME, or an ad-hoc FILE.rq (with a '#+' header).

    The query runs on the model in --model (built in memory, with the ontology), or on a SPARQL
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

    if list_only:
        if name or params:
            raise UsageError("--list takes no query name or parameters")
        click.echo(_listing(list_queries(), lang), nl=False)
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
    runner = _engine(model_dir, endpoint, graph_iri, timeout, engine or "oxigraph",
                     allow_service)
    outcome = execute(selected, runner, values, lang)
    click.echo(fmt_mod.render(outcome.result, fmt, lang=lang, columns=selected.titles()),
               nl=False)
    count = fmt_mod.row_count_line(outcome.result, lang)
    if count:
        click.echo(count, err=True)
    if outcome.found_problem:
        click.get_current_context().exit(1)


def _engine(model_dir: str, endpoint: str | None, graph_iri: str | None, timeout: float,
            engine: str, allow_service: bool):  # type: ignore[no-untyped-def]
    if endpoint:
        from ..query.remote import RemoteEngine

        return RemoteEngine(endpoint, graph=graph_iri, timeout=timeout)
    from ..query.run import Dataset, local_engine

    return local_engine(Dataset.load(model_dir), engine, allow_service=allow_service)


def _listing(queries: list, lang: str) -> str:  # type: ignore[type-arg]
    width = max((len(q.name) for q in queries), default=10)
    lines = []
    for q in queries:
        lines.append(f"{q.name:<{width}}  {q.kind:<9}  {q.summary_in(lang)}")
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
def push(model_dir: str, store: str, graph_iri: str | None, without_ontology: bool,
         timeout: float) -> None:
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
    dataset = Dataset.load(model_dir, with_ontology=not without_ontology)
    report = push_ntriples(dataset.ntriples, store, graph_iri=graph_iri, timeout=timeout,
                           credentials=credentials)
    click.echo(report.describe(), err=True)
