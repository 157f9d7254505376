"""The built model: its triples, where each was read, and the views made from them on demand.

Why triples are kept as N-Triples text: a national-size model has a million triples, and
building rdflib terms and adding them to an rdflib graph costs ~25 µs a triple (25 s), while a
tuple of three strings costs under 1 µs. So the build (:mod:`samhandling.build`) keeps each
triple as its three N-Triples terms (:mod:`samhandling.terms`) with the place it was read,
and :class:`BuiltModel` makes what a caller asks for from them on first use: ``graph``
(rdflib), ``store`` (pyoxigraph, loaded from N-Triples in Rust) or ``statements``. A caller
that only validates or queries on the store never pays for rdflib.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from rdflib import Graph, Literal
from rdflib.term import Node

from .errors import Problem
from .terms import (
    DERIVED_INTEGER_TYPES,
    NtTriple,
    canonical_triples,
    n3_key,
    nt_term,
    rdflib_term,
    to_oxigraph,
)

if TYPE_CHECKING:
    import pyoxigraph

Triple = tuple[Node, Node, Node]
#: Triples per N-Triples document when loading the store (bounds the text held at once).
STORE_CHUNK = 100_000
#: Datatypes pyoxigraph 0.5 stores as ``xsd:integer`` (see ``BuiltModel.store_rewrites_literals``).
_STORE_INTEGERS = frozenset(f"<{datatype}>" for datatype in DERIVED_INTEGER_TYPES)



@dataclass(frozen=True, order=True)
class SourceLocation:
    """Where a subject or statement was read: file and line, or workbook sheet and row."""

    file: str
    line: int | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        return str(Problem(self.file, self.line, "", self.sheet).location())


#: A statement's place as the build keeps it: a location, or for a cell an int
#: ``place << 32 | line`` (line 0 for none), ``place`` indexing the build's list of
#: (file, sheet) pairs. There is one per cell, a million in a national model: an int is
#: made in a fraction of the time of a tuple or a frozen dataclass, takes half the memory of
#: a tuple, and the garbage collector never has to walk it.
Loc = SourceLocation | int
#: Where a place's line sits in a :data:`Loc` int.
LINE_BITS = 32
_LINE_MASK = (1 << LINE_BITS) - 1
#: The (file, sheet) pairs a build read cells from; a :data:`Loc` int indexes it.
Places = list[tuple[str, str | None]]


def location(loc: Loc, places: Places) -> SourceLocation:
    """The :class:`SourceLocation` of a statement's place as the build keeps it."""
    if isinstance(loc, SourceLocation):
        return loc
    file, sheet = places[loc >> LINE_BITS]
    return SourceLocation(file, (loc & _LINE_MASK) or None, sheet)


class BuiltModel:
    """The model graph and where each subject (and statement) came from.

    ``graph`` (rdflib), ``store`` (pyoxigraph) and ``statements`` are three views of the same
    triples, each made on first use; treat them as read-only (a change to one is not seen in
    the others).
    """

    def __init__(self, graph: Graph | None = None,
                 subjects: dict[str, SourceLocation] | None = None,
                 statements: Mapping[Triple, SourceLocation] | None = None) -> None:
        self._graph = graph
        self.subjects: dict[str, SourceLocation] = subjects if subjects is not None else {}
        self._statements = statements
        self._triples: dict[NtTriple, Loc] | None = None
        self._places: Places = []
        self._store: pyoxigraph.Store | None = None
        self._sorted: list[pyoxigraph.Triple] | None = None
        self._terms: dict[str, Node] = {}
        #: The blank nodes already carry canonical labels (:func:`canonical_blank_nodes`)
        self._canonical_blanks = False

    @classmethod
    def from_build(cls, triples: dict[NtTriple, Loc], subjects: dict[str, SourceLocation],
                   places: Places, canonical_blanks: bool = True) -> BuiltModel:
        """The model of a build: its triples as N-Triples terms, each with its place."""
        model = cls(None, subjects)
        model._triples = triples
        model._places = places
        model._canonical_blanks = canonical_blanks
        return model

    def term(self, nt: str) -> Node:
        """The rdflib term of an N-Triples term, made once and shared."""
        node = self._terms.get(nt)
        if node is None:
            node = self._terms[nt] = rdflib_term(nt)
        return node

    @property
    def graph(self) -> Graph:
        """The model as an rdflib graph (built on first use: ~25 µs a triple)."""
        if self._graph is None:
            graph = Graph()
            add = graph.add
            term = self.term
            for s, p, o in self._triples or ():
                add((term(s), term(p), term(o)))
            self._graph = graph
        return self._graph

    @graph.setter
    def graph(self, graph: Graph) -> None:
        self._graph = graph
        self._triples = None
        self._store = None

    @property
    def built_graph(self) -> Graph | None:
        """The rdflib graph if one exists already (never builds it)."""
        return self._graph

    def store_rewrites_literals(self) -> bool:
        """Whether ``store`` holds some literal differently from the source: pyoxigraph 0.5
        stores ``xsd:long``, ``xsd:int`` and the other derived integer types as
        ``xsd:integer``, so a check of datatypes on the store could differ from one on the
        triples themselves."""
        if self._triples is not None:
            objects: Iterable[str] = (o for _, _, o in self._triples)
        else:
            objects = (nt_term(o) for o in self.graph.objects() if isinstance(o, Literal))
        return any(o[-1] == ">" and o[0] == '"' and o.rpartition("^^")[2] in _STORE_INTEGERS
                   for o in objects)

    @property
    def statements(self) -> Mapping[Triple, SourceLocation]:
        """Triple (rdflib terms) -> the place it was read (its cell, or its record)."""
        if self._statements is None:
            self._statements = _Statements(self._triples or {}, self._places, self.term)
        return self._statements

    @property
    def store(self) -> pyoxigraph.Store:
        """The model in an in-memory pyoxigraph store (loaded from N-Triples on first use).

        Loaded in chunks: the whole model as one N-Triples text would add its size (~130 MB
        a million triples) to the peak memory for nothing. Loaded leniently (pyoxigraph skips
        its IRI and language-tag checks, ~25% faster): the build writes only IRIs made from
        checked ids and terms pyoxigraph itself parsed.
        """
        if self._store is None:
            import pyoxigraph as ox

            store = ox.Store()
            if self._triples is not None:
                for chunk in self._ntriples_chunks():
                    store.load(chunk, format=ox.RdfFormat.N_TRIPLES, lenient=True)
            else:
                store.bulk_extend(
                    ox.Quad(cast("ox.NamedNode | ox.BlankNode", to_oxigraph(s)),
                            cast("ox.NamedNode", to_oxigraph(p)), to_oxigraph(o))
                    for s, p, o in self.graph)
            self._store = store
        return self._store

    def _ntriples_chunks(self, size: int | None = None) -> Iterator[str]:
        """N-Triples documents of ``size`` triples each. pyoxigraph gives the blank nodes of
        each document fresh names, so every triple with a blank node goes in the last one."""
        size = size or STORE_CHUNK
        batch: list[str] = []
        with_blank: list[str] = []
        for s, p, o in self._triples or ():
            line = f"{s} {p} {o} .\n"
            if s[0] == "_" or o[0] == "_":
                with_blank.append(line)
                continue
            batch.append(line)
            if len(batch) == size:
                yield "".join(batch)
                batch = []
        yield "".join(batch + with_blank)

    def __bool__(self) -> bool:
        return True  # a model is a model, even an empty one (``__len__`` counts triples)

    def __len__(self) -> int:
        """The number of triples, without building any graph."""
        if self._triples is not None:
            return len(self._triples)
        return len(self.graph)

    def ntriples(self) -> bytes:
        """Every triple as N-Triples, in build order, those with blank nodes last (not sorted:
        use the exporters for that)."""
        if self._triples is None:
            import pyoxigraph as ox

            # sorted, with canonical blank nodes: what the N-Triples exporter writes
            return ox.serialize(canonical_triples(self.graph),
                                format=ox.RdfFormat.N_TRIPLES) or b""
        return "".join(self._ntriples_chunks()).encode("utf-8")

    def nt_triples(self) -> Iterable[NtTriple]:
        """Every triple as its three N-Triples terms, in build order (no rdflib terms made
        when the model was built from sources: the cheapest way to read a whole model)."""
        if self._triples is not None:
            return self._triples.keys()
        return ((nt_term(s), nt_term(p), nt_term(o)) for s, p, o in self.graph)

    def sorted_oxigraph_triples(self) -> list[pyoxigraph.Triple] | None:
        """The triples in the order :func:`samhandling.export.rdf.sorted_triples` gives them
        (by the N3 form of subject, predicate and object), made from the build's N-Triples
        without an rdflib graph (which costs ~25 µs a triple: 25 s at a million).

        None when the model was not built from sources, or has blank nodes without canonical
        labels (the build gives them such labels, :func:`canonical_blank_nodes`): use the
        rdflib graph then. Made once: ``build`` writes three formats from it.
        """
        if self._triples is None:
            return None
        if self._sorted is not None:
            return self._sorted
        if not self._canonical_blanks and any(s[0] == "_" or o[0] == "_"
                                              for s, _p, o in self._triples):
            return None
        import pyoxigraph as ox

        ordered = sorted(self._triples, key=n3_key)
        triples: list[pyoxigraph.Triple] = []
        for start in range(0, len(ordered), STORE_CHUNK):
            text = "".join(f"{s} {p} {o} .\n" for s, p, o in ordered[start:start + STORE_CHUNK])
            triples.extend(quad.triple for quad in ox.parse(text, format=ox.RdfFormat.N_TRIPLES))
        self._sorted = triples
        return triples

    def location_of(self, node: Node) -> SourceLocation | None:
        return self.subjects.get(str(node))

    def sourcemap_json(self) -> bytes:
        """Subject IRI -> ``file:line``, sorted, for tools that only see the built graph."""
        data = {iri: str(loc) for iri, loc in sorted(self.subjects.items())}
        return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


class _Statements(Mapping[Triple, SourceLocation]):
    """Statement locations looked up by rdflib triple without building the rdflib graph."""

    def __init__(self, triples: dict[NtTriple, Loc], places: Places,
                 term: object) -> None:
        self._triples = triples
        self._places = places
        self._term = term

    def __getitem__(self, triple: Triple) -> SourceLocation:
        try:
            key = (nt_term(triple[0]), nt_term(triple[1]), nt_term(triple[2]))
        except TypeError:
            raise KeyError(triple) from None
        return location(self._triples[key], self._places)

    def __contains__(self, triple: object) -> bool:
        try:
            self[triple]  # type: ignore[index]
        except (KeyError, TypeError, IndexError):
            return False
        return True

    def __iter__(self) -> Iterator[Triple]:
        term = self._term
        for s, p, o in self._triples:
            yield (term(s), term(p), term(o))  # type: ignore[operator]

    def __len__(self) -> int:
        return len(self._triples)
