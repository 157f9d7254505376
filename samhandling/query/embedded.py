"""The default engine: an in-memory pyoxigraph store fed from the built graph.

pyoxigraph evaluates the library's queries one to two orders of magnitude faster than rdflib
(see ``bench/queries.py``), which keeps ``samhandling query`` interactive on large models.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..errors import EndpointError, UsageError
from . import sparqltext
from .terms import QueryResult, Term, from_oxigraph

if TYPE_CHECKING:
    from rdflib import Graph

SERVICE_REFUSED = ("query uses SERVICE (a call to another SPARQL endpoint), which is refused "
                   "unless --allow-service is given")


def check_service(text: str, source: str, allow_service: bool) -> None:
    """Refuse federated queries unless the user allowed them: a library query run on the
    local model should never reach out to the network by surprise."""
    if not allow_service and sparqltext.uses_service(text):
        raise UsageError(f"{source}: {SERVICE_REFUSED}")


class EmbeddedEngine:
    """Runs query text on a pyoxigraph :class:`~pyoxigraph.Store` (its default graph)."""

    name = "oxigraph"

    def __init__(self, store: Any, *, allow_service: bool = False) -> None:
        self.store = store
        self.allow_service = allow_service

    @classmethod
    def from_graph(cls, graph: Graph | Iterable[tuple[Any, Any, Any]], *,
                   allow_service: bool = False) -> EmbeddedEngine:
        """An engine on a fresh store holding the triples of an rdflib graph."""
        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_extend(_quads(graph))
        return cls(store, allow_service=allow_service)

    def run(self, text: str, source: str = "query") -> QueryResult:
        import pyoxigraph as ox

        check_service(text, source, self.allow_service)
        try:
            answer = self.store.query(text)
            if isinstance(answer, ox.QueryBoolean):
                return QueryResult("ask", boolean=bool(answer))
            if isinstance(answer, ox.QueryTriples):
                return QueryResult.graph([_triple(t) for t in answer])
            names = [v.value for v in answer.variables]
            convert = _converter()
            rows = [tuple(convert(value) for value in solution) for solution in answer]
            return QueryResult("select", names, rows)
        except SyntaxError as exc:
            raise UsageError(f"{source}: query does not parse: {exc}") from None
        except OSError as exc:
            if sparqltext.uses_service(text):
                raise EndpointError(f"{source}: SERVICE call failed: {exc}") from None
            raise UsageError(f"{source}: query failed: {exc}") from None


def _converter() -> Any:
    """from_oxigraph with a cache: labels and IRIs repeat down a result's rows, and a dict
    lookup of a pyoxigraph term is cheaper than building a new Term."""
    cache: dict[Any, Term | None] = {}

    def convert(value: Any) -> Term | None:
        if value is None:
            return None
        found = cache.get(value)
        if found is None:
            found = cache[value] = from_oxigraph(value)
        return found

    return convert


def _triple(triple: Any) -> tuple[Term, Term, Term]:
    s, p, o = (from_oxigraph(t) for t in (triple.subject, triple.predicate, triple.object))
    assert s is not None and p is not None and o is not None
    return s, p, o


def _quads(graph: Iterable[tuple[Any, Any, Any]]) -> Iterable[Any]:
    """rdflib triples as pyoxigraph quads in the default graph; terms repeat a lot (predicates,
    classes), so each distinct term is converted once."""
    import pyoxigraph as ox

    from ..export.rdf import to_oxigraph

    cache: dict[Any, Any] = {}

    def convert(term: Any) -> Any:
        found = cache.get(term)
        if found is None:
            found = cache[term] = to_oxigraph(term)
        return found

    for s, p, o in graph:
        yield ox.Quad(convert(s), convert(p), convert(o))
