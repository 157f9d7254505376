"""The default engine: an in-memory pyoxigraph store fed from the built graph.

pyoxigraph evaluates the library's queries one to two orders of magnitude faster than rdflib
(see ``bench/queries.py``), which keeps ``samhandling query`` interactive on large models.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..errors import EndpointError, UsageError
from .network import may_mention_service, refuse_service
from .sandbox import one_line, run_isolated
from .terms import QueryResult, Term, from_sparql_tsv

#: Marks a cell not yet in the term cache (``None`` is a cached value: an unbound cell).
_UNSEEN: Any = object()

if TYPE_CHECKING:
    from rdflib import Graph


def check_service(text: str, source: str, allow_service: bool) -> None:
    """Refuse federated queries unless the user allowed them: a library query run on the
    local model should never reach out to the network by surprise. Decided from the parsed
    query (:mod:`.network`), not from its text."""
    if not allow_service:
        refuse_service(text, source)


class EmbeddedEngine:
    """Runs query text on a pyoxigraph :class:`~pyoxigraph.Store` (its default graph).

    Each query runs in a child process (:mod:`.sandbox`) with a total time limit; without
    ``allow_service`` that child also has no network.
    """

    name = "oxigraph"

    def __init__(self, store: Any, *, allow_service: bool = False,
                 timeout: float | None = None) -> None:
        self.store = store
        self.allow_service = allow_service
        self.timeout = timeout

    @classmethod
    def from_graph(cls, graph: Graph | Iterable[tuple[Any, Any, Any]], *,
                   allow_service: bool = False,
                   timeout: float | None = None) -> EmbeddedEngine:
        """An engine on a fresh store holding the triples of an rdflib graph."""
        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_extend(_quads(graph))
        return cls(store, allow_service=allow_service, timeout=timeout)

    def run(self, text: str, source: str = "query") -> QueryResult:
        from ..gcpause import no_gc_pauses  # a big result is ~10^5 small objects, no cycles

        answer = run_isolated(lambda: self._evaluate(text, source), timeout=self.timeout,
                              what=source, offline=not self.allow_service)
        form = answer[0]
        if form == "ask":
            return QueryResult("ask", boolean=answer[1])
        with no_gc_pauses():
            if form == "graph":
                return QueryResult.graph(_triples(answer[1]))
            names, body = answer[1], answer[2]
            if isinstance(body, int):  # rows with no columns leave no trace in TSV
                return QueryResult("select", names, [() for _ in range(body)])
            return QueryResult("select", names, _tsv_rows(body))

    def _evaluate(self, text: str, source: str) -> tuple[Any, ...]:
        """Runs in the child: the answer as bytes pyoxigraph wrote in Rust (TSV or N-Triples),
        cheap to send back and fast to read (see :func:`_tsv_rows`)."""
        import pyoxigraph as ox

        check_service(text, source, self.allow_service)
        try:
            answer = self.store.query(text)
            if isinstance(answer, ox.QueryBoolean):
                return ("ask", bool(answer))
            if isinstance(answer, ox.QueryTriples):
                return ("graph", answer.serialize(format=ox.RdfFormat.N_TRIPLES))
            names = [v.value for v in answer.variables]
            if not names:
                return ("select", names, sum(1 for _ in answer))
            return ("select", names, answer.serialize(format=ox.QueryResultsFormat.TSV))
        except SyntaxError as exc:
            raise UsageError(f"{source}: query does not parse: {one_line(str(exc))}") from None
        except OSError as exc:
            if self.allow_service and may_mention_service(text):
                raise EndpointError(f"{source}: SERVICE call failed: "
                                    f"{one_line(str(exc))}") from None
            raise UsageError(f"{source}: query failed: {one_line(str(exc))}") from None


def _tsv_rows(tsv: bytes) -> list[tuple[Term | None, ...]]:
    """The rows of a SPARQL TSV result. pyoxigraph writes TSV in Rust far faster than Python
    can walk its term objects (a 74k-row report: ~0.3 s against ~1.1 s), and equal cells are
    equal strings, so each distinct term is read once."""
    lines = tsv.decode("utf-8").split("\n")
    cache: dict[str, Term | None] = {}
    rows: list[tuple[Term | None, ...]] = []
    for line in lines[1:-1]:  # a header line first, a line break after every row
        row: list[Term | None] = []
        for cell in line.split("\t"):
            # one dict lookup per cell: the same few terms repeat down a column
            term = cache.get(cell, _UNSEEN)
            if term is _UNSEEN:
                term = cache[cell] = from_sparql_tsv(cell)
            row.append(term)
        rows.append(tuple(row))
    return rows


def _triples(ntriples: bytes) -> list[tuple[Term, Term, Term]]:
    """Triples from N-Triples as pyoxigraph writes it: one ``s p o .`` a line, subject and
    predicate without spaces, so the object is the rest of the line."""
    cache: dict[str, Term | None] = {}
    triples: list[tuple[Term, Term, Term]] = []
    for line in ntriples.decode("utf-8").split("\n"):
        if not line:
            continue
        subject, predicate, rest = line.split(" ", 2)
        terms: list[Term | None] = []
        for text in (subject, predicate, rest[:-2]):  # rest ends with " ."
            term = cache.get(text, _UNSEEN)
            if term is _UNSEEN:
                term = cache[text] = from_sparql_tsv(text)
            terms.append(term)
        s, p, o = terms
        assert s is not None and p is not None and o is not None
        triples.append((s, p, o))
    return triples


def _quads(graph: Iterable[tuple[Any, Any, Any]]) -> Iterable[Any]:
    """rdflib triples as pyoxigraph quads in the default graph; terms repeat a lot (predicates,
    classes), so each distinct term is converted once."""
    import pyoxigraph as ox

    from ..terms import to_oxigraph

    cache: dict[Any, Any] = {}

    def convert(term: Any) -> Any:
        found = cache.get(term)
        if found is None:
            found = cache[term] = to_oxigraph(term)
        return found

    for s, p, o in graph:
        yield ox.Quad(convert(s), convert(p), convert(o))
