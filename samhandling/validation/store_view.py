"""A read-only rdflib view of a pyoxigraph store, for code that wants an rdflib ``Graph``.

pySHACL, the label helpers and the report reader all speak rdflib. Building an rdflib graph of a
million-triple model costs ~40 s and ~1 GB; the model is already in a pyoxigraph store. Through
this view each ``graph.triples(pattern)`` call becomes one indexed lookup in the store, which is
slower per call than rdflib's own memory store but costs nothing up front: right for code that
looks at a few thousand nodes of a large model (the focus nodes that may fail a shape, the
labels of the results).

Terms come out as :func:`.literals.to_rdflib` makes them (a plain ``xsd:string`` literal has
no datatype; lexical forms as the store holds them, never normalised again by rdflib), the
same terms the build's rdflib graph holds when the store keeps every literal as written.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from rdflib import Graph
from rdflib.store import Store

from ..terms import to_oxigraph
from .literals import to_rdflib

if TYPE_CHECKING:
    import pyoxigraph


class _StoreView(Store):
    """rdflib's Store interface over a pyoxigraph store's default graph, reads only."""

    context_aware = False
    formula_aware = False
    graph_aware = False
    transaction_aware = False

    def __init__(self, store: pyoxigraph.Store) -> None:
        super().__init__()
        import pyoxigraph as ox

        self._store = store
        self._default = ox.DefaultGraph()
        self._literal = ox.Literal
        self._named_node = ox.NamedNode
        self._length: int | None = None
        self._prefixes: dict[str, Any] = {}
        self._namespaces: dict[Any, str] = {}

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[Any]:
        s, p, o = triple_pattern
        try:
            subject = None if s is None else to_oxigraph(s)
            predicate = None if p is None else to_oxigraph(p)
            obj = None if o is None else to_oxigraph(o)
        except (TypeError, ValueError):
            return  # not an RDF term the store can hold: it matches nothing
        if isinstance(subject, self._literal) or not (
                predicate is None or isinstance(predicate, self._named_node)):
            return  # a literal subject or a non-IRI predicate matches nothing
        quads = self._store.quads_for_pattern(subject, predicate, obj, self._default)
        for quad in quads:
            yield (to_rdflib(quad.subject), to_rdflib(quad.predicate),
                   to_rdflib(quad.object)), iter(())

    def __len__(self, context: Any = None) -> int:
        # Counted once: pyoxigraph counts by scanning, and rdflib asks often (``graph or
        # other`` tests a Graph's truth by its length). The view is read-only, so it holds.
        if self._length is None:
            self._length = len(self._store)
        return self._length

    # Prefixes live in the view (pySHACL's generic messages shorten IRIs with them).
    def bind(self, prefix: str, namespace: Any, override: bool = True) -> None:
        if not override and (prefix in self._prefixes or namespace in self._namespaces):
            return
        self._namespaces.pop(self._prefixes.pop(prefix, None), None)
        old_prefix = self._namespaces.pop(namespace, None)
        if old_prefix is not None:
            self._prefixes.pop(old_prefix, None)
        self._prefixes[prefix] = namespace
        self._namespaces[namespace] = prefix

    def namespace(self, prefix: str) -> Any:
        return self._prefixes.get(prefix)

    def prefix(self, namespace: Any) -> str | None:
        return self._namespaces.get(namespace)

    def namespaces(self) -> Iterator[tuple[str, Any]]:
        yield from self._prefixes.items()

    def add(self, triple: Any, context: Any = None, quoted: bool = False) -> None:
        raise TypeError("the model view is read-only")

    def remove(self, triple: Any, context: Any = None) -> None:
        raise TypeError("the model view is read-only")


def store_graph(store: pyoxigraph.Store, like: Graph | None = None) -> Graph:
    """An rdflib Graph that reads ``store`` (default graph) on demand and never copies it;
    with the prefixes of ``like`` when given, else those a new rdflib Graph binds."""
    graph = Graph(store=_StoreView(store))
    if like is not None:
        for prefix, namespace in like.namespaces():
            graph.bind(prefix, namespace, override=True, replace=True)
    return graph


__all__ = ["store_graph"]
