"""Run queries on any SPARQL 1.1 query endpoint (Oxigraph, Fuseki, GraphDB, ...).

Credentials come only from the environment, never from the command line or the URL, and are
never printed:

* ``SAMHANDLING_SPARQL_TOKEN``: sent as ``Authorization: Bearer <token>``;
* ``SAMHANDLING_SPARQL_USER`` and ``SAMHANDLING_SPARQL_PASSWORD``: HTTP basic authentication.

Every way a server can fail (unreachable, too slow, 401/403, 404, 5xx, an HTML page instead of
SPARQL results) becomes one :class:`EndpointError` line that names the URL and what to check.
"""

from __future__ import annotations

import ast
import base64
import json
import os
import socket
import urllib.error
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from ..errors import EndpointError, UsageError
from . import sparqltext
from .terms import QueryResult, Term, check_iri, from_sparql_json

ENV_USER = "SAMHANDLING_SPARQL_USER"
ENV_PASSWORD = "SAMHANDLING_SPARQL_PASSWORD"
ENV_TOKEN = "SAMHANDLING_SPARQL_TOKEN"
DEFAULT_TIMEOUT = 30.0
SPARQL_JSON = ("application/sparql-results+json", "application/json")
GRAPH_TYPES = {"application/n-triples": "N_TRIPLES", "text/turtle": "TURTLE",
               "application/n-quads": "N_QUADS", "application/rdf+xml": "RDF_XML"}


@dataclass(frozen=True)
class Credentials:
    """How to authenticate, read from the environment. ``repr`` never shows the secret."""

    scheme: str | None = None
    secret: str = ""

    def header(self) -> str | None:
        if self.scheme is None:
            return None
        return f"{self.scheme} {self.secret}"

    def __repr__(self) -> str:
        return f"Credentials(scheme={self.scheme!r})"


def credentials_from_env(env: dict[str, str] | None = None) -> Credentials:
    env = dict(os.environ) if env is None else env
    token = env.get(ENV_TOKEN, "")
    user = env.get(ENV_USER, "")
    if token and user:
        raise UsageError(f"set either {ENV_TOKEN} or {ENV_USER}/{ENV_PASSWORD}, not both")
    if token:
        return Credentials("Bearer", token)
    if user:
        pair = f"{user}:{env.get(ENV_PASSWORD, '')}".encode()
        return Credentials("Basic", base64.b64encode(pair).decode("ascii"))
    if env.get(ENV_PASSWORD):
        raise UsageError(f"{ENV_PASSWORD} is set but {ENV_USER} is not")
    return Credentials()


def check_url(url: str, what: str) -> str:
    """An http(s) URL without credentials in it (they belong in the environment)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{what} '{url}' is not an http:// or https:// URL")
    if "@" in parts.netloc:
        raise UsageError(f"{what} URL must not contain credentials; set {ENV_USER} and "
                         f"{ENV_PASSWORD} (or {ENV_TOKEN}) in the environment instead")
    return url


@contextmanager
def http_errors(url: str, what: str, timeout: float) -> Iterator[None]:
    """Turn every transport and HTTP failure into one EndpointError line."""
    from SPARQLWrapper import SPARQLExceptions as sx

    codes = {sx.QueryBadFormed: 400, sx.Unauthorized: 401, sx.EndPointNotFound: 404,
             sx.URITooLong: 414, sx.EndPointInternalError: 500}
    try:
        yield
    except sx.SPARQLWrapperException as exc:
        code = next((c for cls, c in codes.items() if isinstance(exc, cls)), 0)
        raise EndpointError(_status_message(url, what, code, _wrapper_body(exc))) from None
    except urllib.error.HTTPError as exc:
        body = b""
        with suppress(OSError):
            body = exc.read()
        raise EndpointError(_status_message(url, what, exc.code, body)) from None
    except urllib.error.URLError as exc:
        raise EndpointError(_transport_message(url, what, exc.reason, timeout)) from None
    except OSError as exc:  # TimeoutError, ConnectionError and the rest of the socket layer
        raise EndpointError(_transport_message(url, what, exc, timeout)) from None


def _transport_message(url: str, what: str, reason: Any, timeout: float) -> str:
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return f"{what} {url} did not answer within {timeout:g} s (timeout)"
    if isinstance(reason, ConnectionRefusedError) or "refused" in str(reason).lower():
        return f"cannot reach {what} {url}: connection refused (is the server running?)"
    if isinstance(reason, socket.gaierror):
        return f"cannot reach {what} {url}: unknown host"
    text = getattr(reason, "strerror", None) or str(reason)
    return f"cannot reach {what} {url}: {text}"


def _status_message(url: str, what: str, code: int, body: bytes) -> str:
    detail = _first_line(body)
    if code == 401:
        return (f"{what} {url} refused access (HTTP 401 Unauthorized); set {ENV_USER} and "
                f"{ENV_PASSWORD}, or {ENV_TOKEN}")
    if code == 403:
        return (f"{what} {url} forbids this request (HTTP 403 Forbidden); check the account's "
                "rights")
    if code == 404:
        return f"no {what} at {url} (HTTP 404 Not Found); check the URL"
    if code == 400:
        return f"{what} {url} rejected the request (HTTP 400)" + (f": {detail}" if detail else "")
    if code >= 500:
        return f"{what} {url} failed (HTTP {code})" + (f": {detail}" if detail else "")
    return f"{what} {url} answered HTTP {code}" + (f": {detail}" if detail else "")


def _wrapper_body(exc: Exception) -> bytes:
    """SPARQLWrapper puts the response body into its message as a bytes repr."""
    _, sep, tail = str(exc).partition("Response:\n")
    if not sep:
        return b""
    try:
        value = ast.literal_eval(tail.strip())
    except (ValueError, SyntaxError):
        return tail.encode()
    return value if isinstance(value, bytes) else str(value).encode()


def _first_line(body: bytes) -> str:
    text = body.decode("utf-8", errors="replace")
    if "<html" in text[:500].lower():
        return ""
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""


class RemoteEngine:
    """Sends query text to a SPARQL 1.1 query endpoint with SPARQLWrapper."""

    name = "remote"

    def __init__(self, endpoint: str, *, graph: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT,
                 credentials: Credentials | None = None) -> None:
        self.endpoint = check_url(endpoint, "SPARQL endpoint")
        if graph is not None:
            check_iri(graph)
        self.graph = graph
        self.timeout = timeout
        self.credentials = credentials if credentials is not None else credentials_from_env()

    def run(self, text: str, source: str = "query") -> QueryResult:
        form = sparqltext.query_form(text)
        raw, content_type = self._send(text, graph_result=form in ("CONSTRUCT", "DESCRIBE"))
        if form in ("CONSTRUCT", "DESCRIBE"):
            return self._parse_graph(raw, content_type)
        return self._parse_results(raw, content_type)

    def _send(self, text: str, *, graph_result: bool) -> tuple[bytes, str]:
        from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

        wrapper = SPARQLWrapper(self.endpoint)
        wrapper.setQuery(text)
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)
        wrapper.timeout = self.timeout  # type: ignore[assignment]  # setTimeout() rounds to int
        if self.graph:
            wrapper.addDefaultGraph(self.graph)
        if graph_result:
            wrapper.setReturnFormat(TURTLE)
            wrapper.addCustomHttpHeader("Accept", "application/n-triples, text/turtle;q=0.9")
        else:
            wrapper.setReturnFormat(JSON)
            wrapper.addCustomHttpHeader("Accept", "application/sparql-results+json, "
                                        "application/json;q=0.9")
        header = self.credentials.header()
        if header:
            wrapper.addCustomHttpHeader("Authorization", header)
        with http_errors(self.endpoint, "SPARQL endpoint", self.timeout):
            answer = wrapper.query()
            content_type = (answer.info().get("content-type") or "").split(";")[0].strip()
            raw = answer.response.read()
        return raw, content_type.lower()

    def _not_results(self, content_type: str) -> EndpointError:
        return EndpointError(
            f"SPARQL endpoint {self.endpoint} answered {content_type or 'without a content type'}"
            ", not SPARQL results; is this the query endpoint (e.g. http://host:7878/query)?")

    def _parse_results(self, raw: bytes, content_type: str) -> QueryResult:
        if content_type not in SPARQL_JSON:
            raise self._not_results(content_type)
        try:
            data = json.loads(raw.decode("utf-8"))
            if "boolean" in data:
                return QueryResult("ask", boolean=bool(data["boolean"]))
            names = list(data["head"]["vars"])
            rows = [tuple(from_sparql_json(b[n]) if n in b else None for n in names)
                    for b in data["results"]["bindings"]]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise EndpointError(f"SPARQL endpoint {self.endpoint} sent unreadable SPARQL JSON "
                                f"results ({exc})") from None
        return QueryResult("select", names, rows)

    def _parse_graph(self, raw: bytes, content_type: str) -> QueryResult:
        import pyoxigraph as ox

        from .terms import from_oxigraph

        fmt = GRAPH_TYPES.get(content_type)
        if fmt is None:
            raise self._not_results(content_type)
        try:
            triples: list[tuple[Term, Term, Term]] = []
            for quad in ox.parse(raw, format=getattr(ox.RdfFormat, fmt)):
                s, p, o = (from_oxigraph(t) for t in (quad.subject, quad.predicate, quad.object))
                assert s is not None and p is not None and o is not None
                triples.append((s, p, o))
        except SyntaxError as exc:
            raise EndpointError(f"SPARQL endpoint {self.endpoint} sent unreadable RDF "
                                f"({exc})") from None
        return QueryResult.graph(triples)
