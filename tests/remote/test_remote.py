"""The library against a real SPARQL server: push the model, run every query remotely, compare
with the embedded store; named graphs; and every way an endpoint can fail."""

from __future__ import annotations

import base64
import os
import subprocess
import sys

import pytest

from samhandling.errors import EndpointError, UsageError
from samhandling.query.library import find_query, list_queries, load_query_file
from samhandling.query.push import push_ntriples
from samhandling.query.remote import Credentials, RemoteEngine, credentials_from_env
from samhandling.query.run import Dataset, execute, local_engine

from ..support import FIXTURES, MODEL_DIR, REPO, run_cli
from ..test_queries import PARAMS, cells
from .conftest import free_port

FIXTURE = FIXTURES / "queries"
LIBRARY = list_queries()
NAMED = "https://example.org/graphs/fixture"


@pytest.fixture(scope="module")
def pushed_model(oxigraph):
    """The seed model pushed into the server's default graph with the real CLI."""
    result = run_cli("push", str(MODEL_DIR), "--store", oxigraph.store)
    assert result.exit_code == 0, result.stderr
    assert "triples into the default graph of" in result.stderr
    return local_engine(Dataset.load(MODEL_DIR))


@pytest.mark.parametrize("query", LIBRARY, ids=[q.name for q in LIBRARY])
def test_remote_rows_equal_embedded_rows(oxigraph, pushed_model, query):
    params = PARAMS.get(query.name, {})
    remote = execute(query, RemoteEngine(oxigraph.query), params, "en").result
    local = execute(query, pushed_model, params, "en").result
    assert remote == local


def test_named_graph_push_and_query(oxigraph, pushed_model):
    fixture = Dataset.load(FIXTURE)
    report = push_ntriples(fixture.ntriples, oxigraph.store, graph_iri=NAMED)
    assert report.triples == len(fixture) and report.status in (200, 201, 204)
    query = find_query("services-per-group")
    in_graph = execute(query, RemoteEngine(oxigraph.query, graph=NAMED)).result
    assert in_graph == execute(query, local_engine(fixture)).result
    default = execute(query, RemoteEngine(oxigraph.query)).result
    assert len(default.rows) == 7  # the default graph still holds the seed model
    cli = run_cli("query", "services-per-group", "--endpoint", oxigraph.query, "--graph", NAMED,
                  "--format", "csv", "--lang", "en")
    assert cli.exit_code == 0, cli.stderr
    assert cli.stdout.splitlines()[1:] == [
        "1,https://w3id.org/samhandling/hovedgruppe/oversikt,Get an overview,2",
        "2,https://w3id.org/samhandling/hovedgruppe/oppslag,Look up,3",
        "3,https://w3id.org/samhandling/hovedgruppe/rapportere,Report,0"]


def test_push_replaces_the_graph(oxigraph, tmp_path):
    graph = "https://example.org/graphs/replaced"
    count = tmp_path / "count.rq"
    count.write_text("#+ summary: triples\nSELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\n")
    engine = RemoteEngine(oxigraph.query, graph=graph)
    full = Dataset.load(FIXTURE)
    push_ntriples(full.ntriples, oxigraph.store, graph_iri=graph)
    assert cells(execute(load_query_file(count), engine).result) == [(len(full),)]
    smaller = Dataset.load(FIXTURE, with_ontology=False)
    push_ntriples(smaller.ntriples, oxigraph.store, graph_iri=graph)
    assert cells(execute(load_query_file(count), engine).result) == [(len(smaller),)]


def test_resource_parameters_resolve_on_the_endpoint(oxigraph, pushed_model):
    engine = RemoteEngine(oxigraph.query)
    by_label = execute(find_query("reuse-of-service"), engine,
                       {"service": "Klinisk oppsummering"}).result
    by_id = execute(find_query("reuse-of-service"), pushed_model,
                    {"service": "klinisk-oppsummering"}).result
    assert by_label == by_id and len(by_id.rows) == 6
    with pytest.raises(UsageError, match="did you mean"):
        execute(find_query("reuse-of-service"), engine, {"service": "klinisk-opsumering"})


def test_federated_query_when_allowed(oxigraph, pushed_model, tmp_path):
    path = tmp_path / "federated.rq"
    path.write_text(
        "#+ summary: groups from the server\n"
        "PREFIX sam: <https://w3id.org/samhandling/ontologi#>\n"
        f"SELECT ?n WHERE {{ SERVICE <{oxigraph.query}> {{ ?g sam:groupNumber ?n }} }}"
        " ORDER BY ?n\n")
    fixture = Dataset.load(FIXTURE)
    with pytest.raises(UsageError, match="--allow-service"):
        execute(load_query_file(path), local_engine(fixture))
    result = execute(load_query_file(path), local_engine(fixture, allow_service=True)).result
    assert [row[0] for row in cells(result)] == [1, 2, 3, 4, 5, 6, 7]


# -- failures --------------------------------------------------------------------------------

def test_connection_refused():
    url = f"http://127.0.0.1:{free_port()}"
    query = run_cli("query", "services", "--endpoint", f"{url}/query")
    assert query.exit_code == 2
    assert query.stderr.strip() == (f"error: cannot reach SPARQL endpoint {url}/query: "
                                    "connection refused (is the server running?)")
    push = run_cli("push", str(FIXTURE), "--store", f"{url}/store")
    assert push.exit_code == 2
    assert push.stderr.strip() == (f"error: cannot reach graph store {url}/store: "
                                   "connection refused (is the server running?)")


@pytest.mark.parametrize(("path", "message"), [
    ("/html", "answered text/html, not SPARQL results; is this the query endpoint"),
    ("/401", "refused access (HTTP 401 Unauthorized); set SAMHANDLING_SPARQL_USER and "
             "SAMHANDLING_SPARQL_PASSWORD, or SAMHANDLING_SPARQL_TOKEN"),
    ("/403", "forbids this request (HTTP 403 Forbidden)"),
    ("/500", "failed (HTTP 500): boom: database offline"),
    ("/503", "failed (HTTP 503)"),
    ("/404", "(HTTP 404 Not Found); check the URL"),
    ("/garbage", "sent unreadable SPARQL JSON results"),
])
def test_endpoint_failures_are_one_line(tiny, path, message):
    with pytest.raises(EndpointError) as caught:
        RemoteEngine(tiny.url(path), credentials=Credentials()).run("SELECT * WHERE {}")
    assert message in str(caught.value)
    assert tiny.url(path) in str(caught.value) and "\n" not in str(caught.value)


def test_timeout(tiny):
    with pytest.raises(EndpointError, match=r"did not answer within 0\.5 s \(timeout\)"):
        RemoteEngine(tiny.url("/slow"), timeout=0.5,
                     credentials=Credentials()).run("SELECT * WHERE {}")


def test_push_failures(tiny):
    with pytest.raises(EndpointError, match="answered with an HTML page"):
        push_ntriples(b"", tiny.url("/html"), credentials=Credentials())
    with pytest.raises(EndpointError, match=r"graph store .*/500 failed \(HTTP 500\)"):
        push_ntriples(b"", tiny.url("/500"), credentials=Credentials())


def _cli_with_env(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("SAMHANDLING_SPARQL_")}
    full.update(env)
    return subprocess.run([sys.executable, "-m", "samhandling", *args], capture_output=True,
                          text=True, cwd=REPO, env=full, timeout=120)


def test_credentials_come_from_the_environment_and_are_never_printed(tiny, tmp_path):
    path = tmp_path / "ok.rq"
    path.write_text("#+ summary: anything\nSELECT ?ok WHERE { }\n")
    basic_header = "Basic " + base64.b64encode(b"arkitekt:s3cret-pw").decode()
    tiny.expected_auth[:] = [basic_header, "Bearer t0ken-xyz"]
    basic = {"SAMHANDLING_SPARQL_USER": "arkitekt", "SAMHANDLING_SPARQL_PASSWORD": "s3cret-pw"}
    ok = _cli_with_env(basic, "query", str(path), "--endpoint", tiny.url("/auth"),
                       "--format", "csv")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout == "ok\nyes\n"
    bearer = _cli_with_env({"SAMHANDLING_SPARQL_TOKEN": "t0ken-xyz"}, "query", str(path),
                           "--endpoint", tiny.url("/auth"), "--format", "csv")
    assert bearer.returncode == 0 and bearer.stdout == "ok\nyes\n"
    wrong = _cli_with_env({"SAMHANDLING_SPARQL_USER": "arkitekt",
                           "SAMHANDLING_SPARQL_PASSWORD": "wrong-pw"},
                          "query", str(path), "--endpoint", tiny.url("/auth"))
    assert wrong.returncode == 2
    assert "HTTP 401" in wrong.stderr and "wrong-pw" not in wrong.stderr + wrong.stdout
    assert tiny.seen_auth[-3:] == [basic_header, "Bearer t0ken-xyz",
                                   "Basic " + base64.b64encode(b"arkitekt:wrong-pw").decode()]


def test_credentials_from_env_rules():
    assert credentials_from_env({}).header() is None
    assert credentials_from_env({"SAMHANDLING_SPARQL_TOKEN": "abc"}).header() == "Bearer abc"
    assert "abc" not in repr(credentials_from_env({"SAMHANDLING_SPARQL_TOKEN": "abc"}))
    with pytest.raises(UsageError, match="not both"):
        credentials_from_env({"SAMHANDLING_SPARQL_TOKEN": "a", "SAMHANDLING_SPARQL_USER": "u"})
    with pytest.raises(UsageError, match="PASSWORD is set but"):
        credentials_from_env({"SAMHANDLING_SPARQL_PASSWORD": "p"})
