"""Run queries on any SPARQL 1.1 query endpoint (Oxigraph, Fuseki, GraphDB, ...).

Credentials come only from the environment, never from the command line or the URL, and are
never printed:

* ``SAMHANDLING_SPARQL_TOKEN``: sent as ``Authorization: Bearer <token>``;
* ``SAMHANDLING_SPARQL_USER`` and ``SAMHANDLING_SPARQL_PASSWORD``: HTTP basic authentication.

Every way a server can fail (unreachable, too slow, 401/403, 404, 5xx, an HTML page instead of
SPARQL results, an answer too large, a redirect elsewhere with credentials, a JSON or XML bomb)
becomes one :class:`EndpointError` line that names the URL and what to check. The HTTP side
(total deadline, size cap, redirects) is :mod:`.transport`; this module reads the answers.
XML answers are checked by a parser that refuses DTDs and entities before anything else reads
them, so a "billion laughs" answer costs nothing.
"""

from __future__ import annotations

import base64
import json
import os
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from ..errors import EndpointError, UsageError
from . import sparqltext, transport
from .sandbox import DEFAULT_TIMEOUT, one_line
from .terms import QueryResult, Term, check_iri, from_sparql_json
from .transport import ENV_PASSWORD, ENV_TOKEN, ENV_USER

SPARQL_JSON = ("application/sparql-results+json", "application/json")
SPARQL_XML = ("application/sparql-results+xml", "application/xml", "text/xml")
GRAPH_TYPES = {"application/n-triples": "N_TRIPLES", "text/turtle": "TURTLE",
               "application/n-quads": "N_QUADS", "application/rdf+xml": "RDF_XML"}

__all__ = ["DEFAULT_TIMEOUT", "ENV_PASSWORD", "ENV_TOKEN", "ENV_USER", "Credentials",
           "RemoteEngine", "check_url", "credentials_from_env"]


@dataclass(frozen=True)
class Credentials:
    """How to authenticate, read from the environment. ``repr`` never shows the secret."""

    scheme: str | None = None
    secret: str = ""
    #: Parts of the secret a server might echo back (password, token), blanked in messages.
    hidden: tuple[str, ...] = field(default=(), repr=False, compare=False)

    def header(self) -> str | None:
        if self.scheme is None:
            return None
        return f"{self.scheme} {self.secret}"

    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.secret, *self.hidden) if s)

    def __repr__(self) -> str:
        return f"Credentials(scheme={self.scheme!r})"


def _check_secret(name: str, value: str) -> None:
    """A value that can travel in an HTTP header: printable ASCII, no line breaks (a newline
    in a token would otherwise add a header of its own)."""
    if any(not (32 < ord(c) < 127) for c in value):
        raise UsageError(f"{name} may only hold printable ASCII characters without spaces")


def credentials_from_env(env: dict[str, str] | None = None) -> Credentials:
    env = dict(os.environ) if env is None else env
    token = env.get(ENV_TOKEN, "")
    user = env.get(ENV_USER, "")
    if token and user:
        raise UsageError(f"set either {ENV_TOKEN} or {ENV_USER}/{ENV_PASSWORD}, not both")
    if token:
        _check_secret(ENV_TOKEN, token)
        return Credentials("Bearer", token, (token,))
    if user:
        password = env.get(ENV_PASSWORD, "")
        if ":" in user or any(ord(c) < 32 or ord(c) == 127 for c in user + password):
            raise UsageError(f"{ENV_USER} may not contain ':' and neither it nor "
                             f"{ENV_PASSWORD} control characters")
        pair = f"{user}:{password}".encode()
        return Credentials("Basic", base64.b64encode(pair).decode("ascii"),
                           (password,) if len(password) >= 4 else ())
    if env.get(ENV_PASSWORD):
        raise UsageError(f"{ENV_PASSWORD} is set but {ENV_USER} is not")
    return Credentials()


def check_url(url: str, what: str) -> str:
    """An http(s) URL without credentials in it (they belong in the environment), and
    without anything that could turn into a second header line or another request."""
    shown = one_line(url, 200)
    if any(not (32 < ord(c) < 127) for c in url):
        raise UsageError(f"{what} '{shown}' contains spaces, control or non-ASCII characters; "
                         "percent-encode them")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{what} '{shown}' is not an http:// or https:// URL")
    if "@" in parts.netloc:
        raise UsageError(f"{what} URL must not contain credentials; set {ENV_USER} and "
                         f"{ENV_PASSWORD} (or {ENV_TOKEN}) in the environment instead")
    try:
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        raise UsageError(f"{what} '{shown}' has an invalid port") from None
    if not parts.hostname:
        raise UsageError(f"{what} '{shown}' names no host")
    return url


def refuse_xml_declarations(raw: bytes) -> None:
    """Raise ValueError if the XML document declares a DTD or entities (or is not XML).

    Streams through expat with defusedxml's guards and no handlers: memory stays flat and a
    billion-laughs document is refused at its DOCTYPE, before any entity is expanded.
    """
    from xml.sax import SAXException
    from xml.sax.handler import ContentHandler

    import defusedxml
    import defusedxml.sax

    try:
        defusedxml.sax.parseString(raw, ContentHandler(), forbid_dtd=True,
                                   forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise ValueError(f"XML with a DTD or entity declarations is refused ({type(exc).__name__})"
                         ) from None
    except SAXException as exc:
        raise ValueError(f"not well-formed XML ({one_line(str(exc), 120)})") from None


class RemoteEngine:
    """Sends query text to a SPARQL 1.1 query endpoint (POST, form-encoded, as the SPARQL
    1.1 Protocol describes) and reads the answer itself."""

    name = "remote"

    def __init__(self, endpoint: str, *, graph: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT,
                 credentials: Credentials | None = None,
                 max_answer_mb: float | None = None) -> None:
        self.endpoint = check_url(endpoint, "SPARQL endpoint")
        if graph is not None:
            check_iri(graph)
        self.graph = graph
        self.timeout = timeout
        self.credentials = credentials if credentials is not None else credentials_from_env()
        self.max_bytes = transport.max_answer_bytes(max_answer_mb)

    def run(self, text: str, source: str = "query") -> QueryResult:
        form = sparqltext.query_form(text)
        raw, content_type = self._send(text, graph_result=form in ("CONSTRUCT", "DESCRIBE"))
        if form in ("CONSTRUCT", "DESCRIBE"):
            return self._parse_graph(raw, content_type)
        return self._parse_results(raw, content_type)

    def _send(self, text: str, *, graph_result: bool) -> tuple[bytes, str]:
        fields = [("query", text)]
        if self.graph:
            fields.append(("default-graph-uri", self.graph))
        accept = ("application/n-triples, text/turtle;q=0.9" if graph_result else
                  "application/sparql-results+json, application/json;q=0.9")
        answer = transport.exchange(
            self.endpoint, what="SPARQL endpoint", method="POST",
            body=urllib.parse.urlencode(fields).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                     "Accept": accept, "User-Agent": "samhandling"},
            authorization=self.credentials.header(), timeout=self.timeout,
            max_bytes=self.max_bytes, secrets=self.credentials.secrets())
        return answer.body, answer.content_type

    def _not_results(self, content_type: str) -> EndpointError:
        shown = one_line(content_type, 80) or "without a content type"
        return EndpointError(
            f"SPARQL endpoint {self.endpoint} answered {shown}"
            ", not SPARQL results; is this the query endpoint (e.g. http://host:7878/query)?")

    def _unreadable(self, what: str, exc: BaseException | str) -> EndpointError:
        return EndpointError(f"SPARQL endpoint {self.endpoint} sent unreadable {what} "
                             f"({one_line(str(exc), 200)})")

    def _parse_results(self, raw: bytes, content_type: str) -> QueryResult:
        if content_type in SPARQL_XML:
            return self._parse_xml_results(raw)
        if content_type not in SPARQL_JSON:
            raise self._not_results(content_type)
        try:
            data = json.loads(raw.decode("utf-8"))
            return _results_from_json(data)
        except RecursionError:
            raise self._unreadable("SPARQL JSON results", "nested too deeply") from None
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise self._unreadable("SPARQL JSON results", exc) from None

    def _parse_xml_results(self, raw: bytes) -> QueryResult:
        import pyoxigraph as ox

        from .terms import from_oxigraph

        try:
            refuse_xml_declarations(raw)
            answer = ox.parse_query_results(raw, format=ox.QueryResultsFormat.XML)
            if isinstance(answer, ox.QueryBoolean):
                return QueryResult("ask", boolean=bool(answer))
            names = [v.value for v in answer.variables]
            rows = [tuple(from_oxigraph(solution[n]) for n in names) for solution in answer]
        except (ValueError, SyntaxError, TypeError) as exc:
            raise self._unreadable("SPARQL XML results", exc) from None
        return QueryResult("select", names, rows)

    def _parse_graph(self, raw: bytes, content_type: str) -> QueryResult:
        import pyoxigraph as ox

        from .terms import from_oxigraph

        fmt = GRAPH_TYPES.get(content_type)
        if fmt is None:
            raise self._not_results(content_type)
        try:
            if fmt == "RDF_XML":
                refuse_xml_declarations(raw)
            triples: list[tuple[Term, Term, Term]] = []
            for quad in ox.parse(raw, format=getattr(ox.RdfFormat, fmt)):
                s, p, o = (from_oxigraph(t) for t in (quad.subject, quad.predicate, quad.object))
                assert s is not None and p is not None and o is not None
                triples.append((s, p, o))
        except (SyntaxError, ValueError, TypeError) as exc:
            raise self._unreadable("RDF", exc) from None
        return QueryResult.graph(triples)


def _results_from_json(data: Any) -> QueryResult:
    """SPARQL 1.1 JSON results, checked shape by shape (a server may send any JSON)."""
    if not isinstance(data, dict):
        raise TypeError("the answer is not a JSON object")
    if "boolean" in data:
        if not isinstance(data["boolean"], bool):
            raise TypeError("'boolean' is not true or false")
        return QueryResult("ask", boolean=data["boolean"])
    head, results = data.get("head"), data.get("results")
    if not isinstance(head, dict) or not isinstance(results, dict):
        raise TypeError("no 'head' and 'results' objects")
    names = head.get("vars", [])
    bindings = results.get("bindings")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise TypeError("'head.vars' is not a list of names")
    if not isinstance(bindings, list):
        raise TypeError("'results.bindings' is not a list")
    rows = []
    for binding in bindings:
        if not isinstance(binding, dict):
            raise TypeError("a binding is not a JSON object")
        rows.append(tuple(from_sparql_json(binding[n]) if n in binding else None for n in names))
    return QueryResult("select", list(names), rows)

