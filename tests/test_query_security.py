"""Hostile queries and hostile endpoints: nothing reaches the network unasked, nothing hangs,
no secret leaves its origin, no answer can exhaust memory, every failure is one line.

Every server here is a listener on 127.0.0.1 started by the test. The SERVICE tests count the
connections a listener received: it must be 0.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from samhandling.errors import EndpointError, SamhandlingError, UsageError
from samhandling.query import embedded, reference
from samhandling.query.network import may_mention_service, refuse_service
from samhandling.query.push import push_ntriples
from samhandling.query.remote import Credentials, RemoteEngine, credentials_from_env
from samhandling.query.run import Dataset, local_engine
from samhandling.query.sandbox import QueryTimeout, cut_network, one_line

from .support import FIXTURES, REPO

DATA = FIXTURES / "queries"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


# -- listeners ---------------------------------------------------------------------------------

class Listener:
    """A TCP port on 127.0.0.1 that accepts, records what arrives, and hangs up."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.settimeout(1)
            try:
                self.received.append(conn.recv(4096))
            except OSError:
                self.received.append(b"")
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return Dataset.load(DATA)


# -- 1. SERVICE is refused from the parsed query -----------------------------------------------

SERVICE_QUERIES = [
    "SELECT * WHERE { ?g ?p 1.SERVICE <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { ?g ?p ?o . FILTER(true) ?g ?p ?o2 . ?s ?p true.SERVICE <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0073ervice SILENT <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE <URL\\u0078> { ?s ?p ?o } . }",
    "SELECT * WHERE { ?g ?p ?o . SERVICE <URL> { ?s ?p ?o } . }",
    "SELECT * WHERE { ſERVICE <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE# comment\n<URL> { ?s ?p ?o } }",
    "ASK { FILTER EXISTS { SERVICE <URL> { ?s ?p ?o } } }",
    "SELECT * WHERE { { SELECT * WHERE { SERVICE <URL> { ?s ?p ?o } } } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <URL> { ?s ?p ?o } }",
]


def _with_url(text: str, listener: Listener) -> str:
    return text.replace("URL", f"http://127.0.0.1:{listener.port}/x")


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("text", SERVICE_QUERIES)
def test_service_is_refused_and_nothing_connects(dataset, listener, engine, text):
    with pytest.raises(UsageError, match="--allow-service") as caught:
        local_engine(dataset, engine, timeout=60).run(_with_url(text, listener))
    assert "\n" not in str(caught.value)
    assert listener.received == []


def test_service_refusal_on_the_command_line(tmp_path, listener):
    path = tmp_path / "federated.rq"
    path.write_text("#+ summary: sneaky\n" + _with_url(SERVICE_QUERIES[0], listener) + "\n")
    result = _cli("query", str(path), str(DATA))
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("error:") == 1 and "--allow-service" in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert listener.received == []


def test_words_that_only_look_like_service_are_not_refused():
    assert not may_mention_service("SELECT * WHERE { ?s ?p ?o }")
    assert refuse_service('SELECT ?service WHERE { ?service ?p "SERVICE" }', "q") is not None
    assert refuse_service("PREFIX ex: <http://e/> SELECT * { ?s ex:a.SERVICE ?o }", "q")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the child process needs fork")
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_the_engines_have_no_network_even_if_the_check_were_fooled(dataset, listener, engine,
                                                                    monkeypatch):
    """Take the parsed-query check away: the child process still reaches nothing (rdflib has
    no HTTP client there, and where the kernel allows it, no network at all)."""
    if engine == "oxigraph" and not _namespaces_work():
        pytest.skip("unprivileged network namespaces are not available here")
    monkeypatch.setattr(embedded, "refuse_service", lambda *a, **k: None)
    from samhandling.query import network

    monkeypatch.setattr(reference, "refuse_service",
                        lambda text, source, init_ns=None, also_from=False:
                        network.parse(text, init_ns))
    text = _with_url("SELECT * WHERE { SERVICE <URL> { ?s ?p ?o } }", listener)
    with pytest.raises(SamhandlingError):
        local_engine(dataset, engine, timeout=60).run(text)
    assert listener.received == []


def _namespaces_work() -> bool:
    pid = os.fork()
    if pid == 0:
        os._exit(0 if cut_network() else 1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("text", SERVICE_QUERIES)
def test_allowed_service_never_crashes(dataset, listener, engine, text):
    """With --allow-service the call is made; a server that hangs up or a malformed query is
    still one error, never a traceback."""
    try:
        local_engine(dataset, engine, allow_service=True, timeout=60).run(
            _with_url(text, listener))
    except SamhandlingError as exc:
        assert "\n" not in str(exc)


# -- 5. total time limits ----------------------------------------------------------------------

@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_query_that_runs_forever_is_stopped(dataset, engine):
    start = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"did not finish within 2 s"):
        local_engine(dataset, engine, timeout=2).run(CARTESIAN, "cartesian")
    assert time.monotonic() - start < 6


def test_timeout_on_the_command_line(tmp_path):
    path = tmp_path / "forever.rq"
    path.write_text("#+ summary: forever\n" + CARTESIAN + "\n")
    start = time.monotonic()
    result = _cli("query", str(path), str(DATA), "--timeout", "3")
    elapsed = time.monotonic() - start
    assert result.returncode == 2
    assert "did not finish within 3 s" in result.stderr and result.stderr.count("\n") == 1
    assert elapsed < 30  # model load and interpreter start included


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_sigterm_to_the_command_leaves_no_query_running(tmp_path):
    path = tmp_path / "forever.rq"
    path.write_text("#+ summary: forever\n" + CARTESIAN + "\n")
    command = subprocess.Popen([sys.executable, "-m", "samhandling", "query", str(path),
                                str(DATA), "--timeout", "300"], cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children = Path(f"/proc/{command.pid}/task/{command.pid}/children")
    deadline = time.monotonic() + 60
    found: list[int] = []
    while not found and time.monotonic() < deadline:
        time.sleep(0.2)
        found = [int(p) for p in children.read_text().split()] if children.exists() else []
    assert found, "the query child never started"
    command.terminate()
    command.wait(timeout=30)
    for _ in range(50):
        if not any(Path(f"/proc/{pid}").exists() and "Z" not in _state(pid) for pid in found):
            break
        time.sleep(0.1)
    else:
        for pid in found:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 9)
        pytest.fail("the query child outlived the command")


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


# -- a hostile HTTP server ---------------------------------------------------------------------

RESULTS = json.dumps({"head": {"vars": ["ok"]},
                      "results": {"bindings": [{"ok": {"type": "literal", "value": "yes"}}]}})
EMPTY = json.dumps({"head": {"vars": ["ok"]}, "results": {"bindings": []}})
LAUGHS_DTD = ('<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY a "ha">\n'
              + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n'
                        for i in range(9))
              + "]>\n")
LAUGHS_RDFXML = (LAUGHS_DTD.replace("<!DOCTYPE r", "<!DOCTYPE rdf:RDF")
                 + '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                 '<rdf:Description rdf:about="http://e/s"><rdf:value>&j;</rdf:value>'
                 "</rdf:Description></rdf:RDF>\n")
LAUGHS_RESULTS = (LAUGHS_DTD.replace("<!DOCTYPE r", "<!DOCTYPE sparql")
                  + '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
                  '<variable name="x"/></head><results><result><binding name="x">'
                  "<literal>&j;</literal></binding></result></results></sparql>\n")
XML_RESULTS = ('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
               '<head><variable name="ok"/></head><results><result><binding name="ok">'
               "<literal>yes</literal></binding></result></results></sparql>")
NOT_RESULTS = {
    "object": '{"foo": 1}',
    "list": "[1, 2]",
    "string": '"results"',
    "number-value": json.dumps({"head": {"vars": ["a"]}, "results": {"bindings": [
        {"a": {"type": "literal", "value": 5}}]}}),
    "vars-string": json.dumps({"head": {"vars": "ab"}, "results": {"bindings": [{"a": 1}]}}),
    "binding-list": json.dumps({"head": {"vars": ["a"]}, "results": {"bindings": [[1]]}}),
    "boolean-string": '{"boolean": "yes"}',
    "bomb": "[" * 200_000 + "]" * 200_000,
    "deep-object": '{"a":' * 100_000 + "1" + "}" * 100_000,
}
TOKEN = "t0ken-xyz-secret"


@dataclass
class Hostile:
    base: str
    seen: list[tuple[str, str | None, dict[str, str]]] = field(default_factory=list)
    other: str = ""  # the base URL of the second server, for redirects

    def url(self, path: str) -> str:
        return self.base + path


def _handler(state: Hostile) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _answer(self, status: int, content_type: str, body: bytes | str,
                    headers: dict[str, str] | None = None) -> None:
            data = body.encode() if isinstance(body, str) else body
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _route(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            path = self.path.split("?")[0]
            auth = self.headers.get("Authorization")
            state.seen.append((path, auth, dict(self.headers.items())))
            self.close_connection = True
            with contextlib.suppress(OSError):  # the client hung up, as on a drip
                self._dispatch(path, auth)

        def _dispatch(self, path: str, auth: str | None) -> None:
            json_type = "application/sparql-results+json"
            if path in ("/ok", "/ok-empty"):
                self._answer(200, json_type, RESULTS if path == "/ok" else EMPTY)
            elif path == "/redirect-away":
                self._answer(302, "text/plain", "moved", {"Location": state.other + "/ok"})
            elif path == "/redirect-home":
                self._answer(302, "text/plain", "moved", {"Location": state.base + "/auth"})
            elif path == "/redirect-file":
                self._answer(302, "text/plain", "moved", {"Location": "file:///etc/passwd"})
            elif path == "/auth":
                if auth == f"Bearer {TOKEN}":
                    self._answer(200, json_type, RESULTS)
                else:
                    self._answer(401, "text/plain", "who are you")
            elif path == "/drip":
                self.send_response(200)
                self.send_header("Content-Type", json_type)
                self.end_headers()
                self.wfile.flush()
                for char in RESULTS * 100:
                    self.wfile.write(char.encode())
                    self.wfile.flush()
                    time.sleep(1)
            elif path == "/drip-headers":
                for char in "HTTP/1.1 200 OK\r\nX-Slow: " + "a" * 1000:
                    self.wfile.write(char.encode())
                    self.wfile.flush()
                    time.sleep(1)
            elif path == "/big":
                self.send_response(200)
                self.send_header("Content-Type", json_type)
                self.end_headers()
                block = b" " * (1 << 20)
                for _ in range(64):
                    self.wfile.write(block)
            elif path == "/big-declared":
                self.send_response(200)
                self.send_header("Content-Type", json_type)
                self.send_header("Content-Length", str(10 << 30))
                self.end_headers()
            elif path == "/laughs-rdfxml":
                self._answer(200, "application/rdf+xml", LAUGHS_RDFXML)
            elif path == "/laughs-results":
                self._answer(200, "application/sparql-results+xml", LAUGHS_RESULTS)
            elif path == "/xml-results":
                self._answer(200, "application/sparql-results+xml", XML_RESULTS)
            elif path.startswith("/not-results/"):
                self._answer(200, json_type, NOT_RESULTS[path.rsplit("/", 1)[1]])
            elif path == "/echo-500":
                self._answer(500, "text/plain",
                             f"\x1b[31mboom\x1b[0m\x1b]0;title\x07 you sent Authorization: "
                             f"{auth} and {TOKEN}\r\nsecond line")
            elif path == "/control-type":
                self._answer(200, "text/\x1b[31mhtml", "x")
            else:
                self._answer(404, "text/plain", "no such page")

        do_GET = do_POST = do_PUT = _route

    return Handler


def _start(state: Hostile) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Hostile, Hostile]]:
    """Two origins: ``home`` (the endpoint) and ``away`` (where redirects point)."""
    home, away = Hostile(""), Hostile("")
    running = [_start(home), _start(away)]
    home.other, away.other = away.base, home.base
    yield home, away
    for server in running:
        server.shutdown()
        server.server_close()


def _remote(url: str, **kwargs: object) -> RemoteEngine:
    kwargs.setdefault("credentials", Credentials())
    return RemoteEngine(url, **kwargs)  # type: ignore[arg-type]


# -- 2. credentials never follow a redirect to another origin ----------------------------------

@pytest.mark.parametrize("credentials", [
    credentials_from_env({"SAMHANDLING_SPARQL_TOKEN": TOKEN}),
    credentials_from_env({"SAMHANDLING_SPARQL_USER": "arkitekt",
                          "SAMHANDLING_SPARQL_PASSWORD": "s3cret-pw"}),
], ids=["bearer", "basic"])
def test_credentials_do_not_follow_a_redirect_elsewhere(servers, credentials):
    home, away = servers
    before = len(away.seen)
    with pytest.raises(EndpointError, match="another origin") as caught:
        _remote(home.url("/redirect-away"), credentials=credentials).run("SELECT * {}")
    assert away.base in str(caught.value)
    assert [auth for _, auth, _ in away.seen[before:]] == []  # nothing reached the other
    assert credentials.secret not in str(caught.value)


def test_a_redirect_within_the_origin_keeps_the_credentials(servers):
    home, _ = servers
    credentials = credentials_from_env({"SAMHANDLING_SPARQL_TOKEN": TOKEN})
    result = _remote(home.url("/redirect-home"), credentials=credentials).run("SELECT * {}")
    assert result.rows and home.seen[-1][:2] == ("/auth", f"Bearer {TOKEN}")


def test_an_anonymous_redirect_elsewhere_is_followed_without_credentials(servers):
    home, away = servers
    result = _remote(home.url("/redirect-away")).run("SELECT * {}")
    assert result.rows and away.seen[-1][:2] == ("/ok", None)


def test_a_redirect_to_a_file_is_refused(servers):
    home, _ = servers
    with pytest.raises(EndpointError):
        _remote(home.url("/redirect-file")).run("SELECT * {}")


def test_cross_origin_redirect_on_the_command_line(servers, tmp_path):
    home, away = servers
    path = tmp_path / "q.rq"
    path.write_text("#+ summary: anything\nSELECT ?ok WHERE { }\n")
    before = len(away.seen)
    result = _cli("query", str(path), "--endpoint", home.url("/redirect-away"),
                  env={"SAMHANDLING_SPARQL_TOKEN": TOKEN})
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "another origin" in result.stderr
    assert TOKEN not in result.stderr
    assert away.seen[before:] == []


# -- 3. XML without DTDs or entities -----------------------------------------------------------

@pytest.mark.parametrize(("path", "query"), [
    ("/laughs-rdfxml", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"),
    ("/laughs-results", "SELECT * {}"),
])
def test_billion_laughs_is_refused_quickly_in_bounded_memory(servers, tmp_path, path, query):
    """In a child limited to 2 GiB of address space: an expanding parser would die there (it
    took 23.6 GB before the fix) instead of answering with one line."""
    home, _ = servers
    rq = tmp_path / "laughs.rq"
    rq.write_text(f"#+ summary: laughs\n{query}\n")
    start = time.monotonic()
    result = _cli("query", str(rq), "--endpoint", home.url(path), "--format", "csv",
                  memory=2 << 30)
    assert time.monotonic() - start < 60
    assert result.returncode == 2, result.stderr
    assert "DTD or entity declarations is refused" in result.stderr
    assert result.stderr.count("\n") == 1


def test_sparql_xml_results_are_read(servers):
    home, _ = servers
    result = _remote(home.url("/xml-results")).run("SELECT * {}")
    assert result.variables == ["ok"] and result.rows[0][0].value == "yes"


# -- 4. bounded answers ------------------------------------------------------------------------

def test_an_answer_over_the_cap_is_refused(servers):
    home, _ = servers
    with pytest.raises(EndpointError, match=r"larger than 1 MiB.*--max-answer-mb"):
        _remote(home.url("/big"), max_answer_mb=1).run("SELECT * {}")
    with pytest.raises(EndpointError, match="larger than 1 MiB"):
        _remote(home.url("/big-declared"), max_answer_mb=1).run("SELECT * {}")


def test_the_cap_comes_from_the_environment(servers, monkeypatch):
    home, _ = servers
    monkeypatch.setenv("SAMHANDLING_MAX_ANSWER_MB", "2")
    with pytest.raises(EndpointError, match="larger than 2 MiB"):
        _remote(home.url("/big")).run("SELECT * {}")
    monkeypatch.setenv("SAMHANDLING_MAX_ANSWER_MB", "lots")
    with pytest.raises(UsageError, match="SAMHANDLING_MAX_ANSWER_MB must be a number"):
        _remote(home.url("/big"))


def test_the_cap_on_the_command_line(servers, tmp_path):
    home, _ = servers
    rq = tmp_path / "q.rq"
    rq.write_text("#+ summary: big\nSELECT * {}\n")
    result = _cli("query", str(rq), "--endpoint", home.url("/big"), "--max-answer-mb", "1")
    assert result.returncode == 2 and "larger than 1 MiB" in result.stderr


# -- 5. total deadline on an endpoint ----------------------------------------------------------

@pytest.mark.parametrize("path", ["/drip", "/drip-headers"])
def test_a_dripping_endpoint_meets_the_total_deadline(servers, path):
    home, _ = servers
    start = time.monotonic()
    with pytest.raises(EndpointError, match=r"did not answer within 2 s \(timeout\)"):
        _remote(home.url(path), timeout=2).run("SELECT * {}")
    assert time.monotonic() - start < 4


def test_a_dripping_graph_store_meets_the_total_deadline(servers):
    home, _ = servers
    start = time.monotonic()
    with pytest.raises(EndpointError, match=r"within 2 s \(timeout\)"):
        push_ntriples(b"", home.url("/drip"), timeout=2, credentials=Credentials())
    assert time.monotonic() - start < 4


# -- 6. hostile answers and URLs ---------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(NOT_RESULTS))
def test_json_that_is_not_sparql_results_is_one_error(servers, name):
    home, _ = servers
    with pytest.raises(EndpointError, match="unreadable SPARQL JSON results") as caught:
        _remote(home.url(f"/not-results/{name}")).run("SELECT * {}")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("suffix", ["\nX-Injected: 1", "\r\nX-Injected: 1", " x", "\x00",
                                    "é"])
def test_an_endpoint_url_cannot_smuggle_a_header(servers, suffix):
    home, _ = servers
    before = len(home.seen)
    with pytest.raises(UsageError) as caught:
        _remote(home.url("/ok-empty") + suffix).run("SELECT * {}")
    assert "\n" not in str(caught.value) and "\r" not in str(caught.value)
    assert home.seen[before:] == []


def test_an_injected_url_on_the_command_line(servers, tmp_path):
    home, _ = servers
    rq = tmp_path / "q.rq"
    rq.write_text("#+ summary: x\nSELECT * {}\n")
    result = _cli("query", str(rq), "--endpoint", home.url("/ok-empty") + "\nX-Injected: 1")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    result = _cli("push", str(DATA), "--store", home.url("/ok-empty") + "\nX-Injected: 1")
    assert result.returncode == 2 and result.stderr.count("\n") == 1


def test_a_token_with_a_line_break_is_refused():
    with pytest.raises(UsageError, match="printable ASCII"):
        credentials_from_env({"SAMHANDLING_SPARQL_TOKEN": "abc\r\nX-Injected: 1"})


def test_a_servers_error_body_is_escaped_and_secrets_are_hidden(servers):
    home, _ = servers
    credentials = credentials_from_env({"SAMHANDLING_SPARQL_TOKEN": TOKEN})
    with pytest.raises(EndpointError, match=r"failed \(HTTP 500\)") as caught:
        _remote(home.url("/echo-500"), credentials=credentials).run("SELECT * {}")
    message = str(caught.value)
    assert TOKEN not in message and "\x1b" not in message and "\x07" not in message
    assert "\n" not in message and "\r" not in message
    assert "\\x1b[31mboom" in message and "[redacted]" in message


def test_a_content_type_with_escapes_is_escaped(servers):
    home, _ = servers
    with pytest.raises(EndpointError) as caught:
        _remote(home.url("/control-type")).run("SELECT * {}")
    assert "\x1b" not in str(caught.value)


def test_a_graph_iri_with_a_line_break_is_one_line(servers):
    home, _ = servers
    with pytest.raises(UsageError) as caught:
        _remote(home.url("/ok"), graph="http://e/g\nX: 1")
    assert "\n" not in str(caught.value)


def test_one_line_escapes_what_a_terminal_would_obey():
    assert one_line("a\x1b[2Jb\nc\u202ed") == "a\\x1b[2Jb\\nc\\u202ed"


# -- helpers -----------------------------------------------------------------------------------

def _cli(*args: str, env: dict[str, str] | None = None,
         memory: int | None = None) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("SAMHANDLING_")}
    full.update(env or {})

    def limit() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run([sys.executable, "-m", "samhandling", *args], capture_output=True,
                          text=True, cwd=REPO, env=full, timeout=300, preexec_fn=limit)


assert Path(DATA).is_dir()
