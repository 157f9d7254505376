"""The reference engine: rdflib's SPARQL evaluator on the same graph.

It is slow, but it is an independent implementation: the tests run the whole library on both
engines and require the same rows, which catches queries that lean on one engine's quirks
(undefined ordering, datatype of aggregates, language-tag case).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import UsageError
from .embedded import check_service
from .terms import QueryResult, from_rdflib

if TYPE_CHECKING:
    from rdflib import Graph


class ReferenceEngine:
    """Runs query text with ``rdflib.Graph.query``."""

    name = "rdflib"

    def __init__(self, graph: Graph, *, allow_service: bool = False) -> None:
        self.graph = graph
        self.allow_service = allow_service

    def run(self, text: str, source: str = "query") -> QueryResult:
        from pyparsing import ParseException

        check_service(text, source, self.allow_service)
        try:
            answer = self.graph.query(text)
        except ParseException as exc:
            raise UsageError(f"{source}: query does not parse: {exc}") from None
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
