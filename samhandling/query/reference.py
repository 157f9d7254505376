"""The reference engine: rdflib's SPARQL evaluator on the same graph.

It is slow, but it is an independent implementation: the tests run the whole library on both
engines and require the same rows, which catches queries that lean on one engine's quirks
(undefined ordering, datatype of aggregates, language-tag case).

The query is parsed once, checked for network use on that parsed form, and that same parsed
form is what rdflib evaluates, in a child process (:mod:`.sandbox`) with a time limit and,
unless ``allow_service``, no network and no HTTP client in rdflib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import UsageError
from .network import disable_rdflib_http, parse, refuse_service
from .sandbox import run_isolated
from .terms import QueryResult, from_rdflib

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.plugins.sparql.sparql import Query


class ReferenceEngine:
    """Runs query text with ``rdflib.Graph.query``."""

    name = "rdflib"

    def __init__(self, graph: Graph, *, allow_service: bool = False,
                 timeout: float | None = None) -> None:
        self.graph = graph
        self.allow_service = allow_service
        self.timeout = timeout

    def run(self, text: str, source: str = "query") -> QueryResult:
        return run_isolated(lambda: self._evaluate(text, source), timeout=self.timeout,
                            what=source, offline=not self.allow_service,
                            prepare=None if self.allow_service else disable_rdflib_http)

    def _prepared(self, text: str, source: str) -> Query:
        namespaces = {prefix: str(iri) for prefix, iri in self.graph.namespaces()}
        if not self.allow_service:
            query = refuse_service(text, source, init_ns=namespaces, also_from=True)
            assert query is not None
            return query
        try:
            return parse(text, namespaces)
        except UsageError as exc:
            raise UsageError(f"{source}: {exc}") from None

    def _evaluate(self, text: str, source: str) -> QueryResult:
        """Runs in the child: parse, check, evaluate, convert."""
        answer = self.graph.query(self._prepared(text, source))
        if answer.type == "ASK":
            return QueryResult("ask", boolean=bool(answer.askAnswer))
        if answer.type in ("CONSTRUCT", "DESCRIBE"):
            assert answer.graph is not None
            triples = []
            for s, p, o in answer.graph:
                ts, tp, to = from_rdflib(s), from_rdflib(p), from_rdflib(o)
                assert ts is not None and tp is not None and to is not None
                triples.append((ts, tp, to))
            return QueryResult.graph(triples)
        names = [str(v) for v in answer.vars or []]
        rows = [tuple(from_rdflib(value) for value in row) for row in answer]  # type: ignore[union-attr]
        return QueryResult("select", names, rows)
