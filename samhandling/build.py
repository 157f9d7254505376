"""Build the model graph from a folder of sources, keeping a source map for every subject.

The build reads every file, checks every record against :mod:`samhandling.schema`, resolves
ids to IRIs and derives the few triples that follow from what was read (reuse shortcuts, the
need-code hierarchy, source pages). Problems are collected across all files and raised once,
so a user fixes a broken pull request in one round.

Why triples are kept as N-Triples text: a national-size model has a million triples, and
building rdflib terms and adding them to an rdflib graph costs ~25 µs a triple (25 s), while a
tuple of three strings costs under 1 µs. So the build keeps each triple as its three
N-Triples terms with the place it was read, and :class:`BuiltModel` makes what a caller asks
for from them on first use: ``graph`` (rdflib), ``store`` (pyoxigraph, loaded from N-Triples
in Rust) or ``statements``. A caller that only validates or queries on the store never pays
for rdflib.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import hashlib
import heapq
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from samhandling.loaders import Cell, Record, reader_for

from .errors import ModelLoadError, Problem
from .namespaces import BASE, DCTERMS, RDF, RDFS, SAM, SKOS, XSD
from .schema import (
    ID_PATTERN,
    KINDS,
    KINDS_BY_NAME,
    KINDS_BY_SEGMENT,
    NEED_CODE_PATTERN,
    NEED_SCHEME,
    Column,
    Kind,
)

if TYPE_CHECKING:
    import pyoxigraph

Triple = tuple[Node, Node, Node]
#: A triple as its three N-Triples terms (``<iri>``, ``"text"@nb``, ``_:b0``).
NtTriple = tuple[str, str, str]
LANG_PREDICATES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.definition, SKOS.note,
                   DCTERMS.title, DCTERMS.description)
TRUE_WORDS = {"true", "yes", "ja", "1"}
FALSE_WORDS = {"false", "no", "nei", "0"}


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
_Loc = SourceLocation | int
#: Where a place's line sits in a :data:`_Loc` int.
_LINE_BITS = 32
_LINE_MASK = (1 << _LINE_BITS) - 1


#: A column as :meth:`_Builder._emit` writes it: (column, predicate as N-Triples, language
#: tag of a ``lang`` column or None, inverse?, memo, index of the predicate or None). The
#: memo maps a cell's raw text to its term: a national model names the same few thousand
#: services and sources hundreds of thousands of times. So :meth:`_Builder._value` (and a
#: subclass's) must give a term that depends only on the column and the text; problems are
#: never memoised, so each cell still reports its own.
_Plan = tuple[Column, str, str | None, bool, dict[str, str], dict[str, list[str]] | None]


def _location(loc: _Loc, places: list[tuple[str, str | None]]) -> SourceLocation:
    if isinstance(loc, SourceLocation):
        return loc
    file, sheet = places[loc >> _LINE_BITS]
    return SourceLocation(file, (loc & _LINE_MASK) or None, sheet)


# -- N-Triples terms ----------------------------------------------------------------------------
_NT_ESCAPE = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_NEEDS_ESCAPE = re.compile(r'["\\\n\r]')
_NT_UNESCAPE = re.compile(r'\\(.)')
_UNESCAPED = {"\\": "\\", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f",
              "'": "'"}


def _nt_iri(iri: str) -> str:
    return f"<{iri}>"


def _nt_literal(lexical: str, lang: str | None = None, datatype: str | None = None) -> str:
    if _NEEDS_ESCAPE.search(lexical):
        lexical = lexical.translate(_NT_ESCAPE)
    text = f'"{lexical}"'
    if lang:
        return f"{text}@{lang}"
    if datatype:
        return f"{text}^^<{datatype}>"
    return text


def nt_term(node: Node) -> str:
    """The N-Triples form of an rdflib term (the key :attr:`BuiltModel.statements` uses)."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return _nt_literal(str(node), node.language,
                           str(node.datatype) if node.datatype is not None else None)
    if isinstance(node, BNode):
        return f"_:{node}"
    raise TypeError(f"unsupported RDF term: {node!r}")


def _split_literal(nt: str) -> tuple[str, str]:
    """(lexical form, suffix after the closing quote) of an N-Triples literal."""
    end = nt.rindex('"')
    lexical = nt[1:end]
    if "\\" in lexical:
        lexical = _NT_UNESCAPE.sub(lambda m: _UNESCAPED.get(m.group(1), m.group(0)), lexical)
    return lexical, nt[end + 1:]


def rdflib_term(nt: str) -> Node:
    """The rdflib term of an N-Triples term written by this module."""
    first = nt[0]
    if first == "<":
        return URIRef(nt[1:-1])
    if first == "_":
        return BNode(nt[2:])
    lexical, suffix = _split_literal(nt)
    if suffix.startswith("@"):
        return Literal(lexical, lang=suffix[1:])
    if suffix.startswith("^^"):
        return Literal(lexical, datatype=URIRef(suffix[3:-1]))
    return Literal(lexical)


def _n3_key(triple: NtTriple) -> NtTriple:
    """The triple as rdflib's ``n3()`` writes its terms, the exporters' sort key.

    The N-Triples text is that already, except for a literal with an escape: rdflib writes
    one with a line break in triple quotes, so those (a handful) go through rdflib."""
    s, p, o = triple
    if o[0] == '"' and "\\" in o:
        return s, p, rdflib_term(o).n3()
    return triple


def _lexical(nt: str) -> str:
    """``str()`` of the term: a literal's lexical form, an IRI, a blank node's label."""
    return _split_literal(nt)[0] if nt.startswith('"') else str(rdflib_term(nt))


def _literal_lang(nt: str) -> str | None:
    if not nt.startswith('"'):
        return None
    suffix = _split_literal(nt)[1]
    return suffix[1:] if suffix.startswith("@") else None


_RDF_TYPE = _nt_iri(str(RDF.type))
_RDFS_LABEL = _nt_iri(str(RDFS.label))
_DCTERMS_SOURCE = _nt_iri(str(DCTERMS.source))
_SKOS_NOTATION = _nt_iri(str(SKOS.notation))
_REUSING = _nt_iri(str(SAM.reusingService))
_REUSED = _nt_iri(str(SAM.reusedService))
_REUSES = _nt_iri(str(SAM.reuses))
_XSD_INTEGER = str(XSD.integer)
_XSD_BOOLEAN = str(XSD.boolean)
_XSD_DATE = str(XSD.date)
_NEED_SCHEME = _nt_iri(str(NEED_SCHEME))
#: Triples per N-Triples document when loading the store (bounds the text held at once).
STORE_CHUNK = 100_000
#: Datatypes pyoxigraph 0.5 stores as ``xsd:integer`` (see ``BuiltModel.store_rewrites_literals``).
_STORE_INTEGERS = frozenset(
    f"<{XSD}{name}>" for name in (
        "long", "int", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte"))
#: Predicates whose objects the derivations look up while the build runs.
_INDEXED = (_RDFS_LABEL, _DCTERMS_SOURCE, _SKOS_NOTATION, _REUSING, _REUSED)
#: kind name -> column name -> (column, its predicate as N-Triples); the first column of a
#: name wins, as :meth:`Kind.column` does.
_COLUMNS: dict[str, dict[str, tuple[Column, str]]] = {}
for _kind in KINDS:
    _table = _COLUMNS[_kind.name] = {}
    for _column in _kind.columns:
        _table.setdefault(_column.name, (_column, _nt_iri(str(_column.predicate))))
#: kind name -> names of the columns that must have a value
_REQUIRED = {k.name: tuple(dict.fromkeys(c.name for c in k.columns if c.required)) for k in KINDS}
#: kind name -> (its class, the IRI prefix of its records), both as N-Triples text
_KIND_NT = {k.name: (_nt_iri(str(k.cls)), f"<{BASE}{k.segment}/") for k in KINDS}


# -- blank nodes --------------------------------------------------------------------------------
#: Blank nodes outside trees (shared, or in a cycle) that colour refinement cannot tell apart
#: and the exact canonicalisation takes:
#: rdflib's algorithm is quadratic at best and exponential on symmetric graphs, so more are
#: refused (a 64-node cycle of blank nodes takes it 4.6 s, 100 nodes 24 s). Trees (lists,
#: nested descriptions: what real files hold) have no bound.
MAX_NON_TREE_BLANK_NODES = 40
_BLANK_LABEL_HEX = 32


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:_BLANK_LABEL_HEX]


def canonical_blank_nodes(triples: dict[NtTriple, _Loc],
                          places: list[tuple[str, str | None]]) -> dict[NtTriple, _Loc]:
    """``triples`` with every blank node given a label that depends only on the graph, so
    the same model gives the same bytes wherever and however often it is built.

    Blank nodes in a tree (each the object of at most one triple, no cycle: RDF lists,
    nested ``[ ... ]`` descriptions, reifications) are labelled in linear time: bottom-up,
    a node's *content* is the hash of its sorted (predicate, object) pairs, a child blank
    node standing for its own content; top-down, a node's label is the hash of its parent's
    label (or the subject IRI pointing at a root), the predicate and its content. Siblings
    with the same label are identical subtrees, so swapping them is an automorphism and
    numbering them in any order gives the same output. The rest (shared or cyclic blank
    nodes) are told apart by colour refinement (:func:`_refined_labels`) when it can; what
    it cannot goes through rdflib's exact canonicalisation, bounded by
    :data:`MAX_NON_TREE_BLANK_NODES` (a 4,000-item list took over 30 minutes there).
    """
    out: dict[str, list[tuple[str, str]]] = {}
    incoming: dict[str, list[tuple[str, str]]] = {}
    blanks: list[str] = []
    seen: set[str] = set()
    for s, p, o in triples:
        if s[0] == "_":
            out.setdefault(s, []).append((p, o))
            if s not in seen:
                seen.add(s)
                blanks.append(s)
        if o[0] == "_":
            incoming.setdefault(o, []).append((s, p))
            if o not in seen:
                seen.add(o)
                blanks.append(o)
    if not blanks:
        return triples
    # connected components of blank nodes (through blank-to-blank triples), union-find
    parent_of = {b: b for b in blanks}

    def find(node: str) -> str:
        root = node
        while parent_of[root] != root:
            root = parent_of[root]
        while parent_of[node] != root:
            parent_of[node], node = root, parent_of[node]
        return root

    for s, _p, o in triples:
        if s[0] == "_" and o[0] == "_":
            a, b = find(s), find(o)
            if a != b:
                parent_of[a] = b
    members: dict[str, list[str]] = {}
    for b in blanks:
        members.setdefault(find(b), []).append(b)
    tree_nodes: set[str] = set()
    roots: list[str] = []
    for nodes in members.values():
        # n nodes, each the object of at most one triple: n - (roots) blank-to-blank edges,
        # so the component is a tree exactly when it has one root
        if any(len(incoming.get(b, ())) > 1 for b in nodes):
            continue
        own_roots = [b for b in nodes if not any(s[0] == "_" for s, _ in incoming.get(b, ()))]
        if len(own_roots) == 1:
            tree_nodes.update(nodes)
            roots.extend(own_roots)
    labels = _tree_labels(roots, out, incoming)
    others = [b for b in blanks if b not in tree_nodes]
    if others:
        refined = _refined_labels(others, out, incoming)
        if refined is not None:
            labels.update(refined)
            others = []
    if len(others) > MAX_NON_TREE_BLANK_NODES:
        ambiguous = set(others)
        first = next(loc for (s, _p, o), loc in triples.items()
                     if s in ambiguous or o in ambiguous)
        where = _location(first, places)
        raise ModelLoadError([Problem(
            where.file, where.line,
            f"{len(others):,} blank nodes are shared or in a cycle and alike enough to need "
            f"the exact canonicalisation, which takes at most {MAX_NON_TREE_BLANK_NODES:,}: "
            "give them IRIs")])
    result: dict[NtTriple, _Loc] = {}
    rest: list[tuple[NtTriple, _Loc]] = []
    for (s, p, o), loc in triples.items():
        if (s[0] == "_" and s not in labels) or (o[0] == "_" and o not in labels):
            rest.append(((s, p, o), loc))
            continue
        result[(labels.get(s, s), p, labels.get(o, o))] = loc
    if rest:
        result.update(_exact_canonical(rest))
    return result


#: Work (node and edge visits) colour refinement may spend before it gives up.
_REFINE_BUDGET = 1_000_000


def _refined_labels(nodes: list[str], out: dict[str, list[tuple[str, str]]],
                    incoming: dict[str, list[tuple[str, str]]]) -> dict[str, str] | None:
    """Labels for blank nodes outside trees by colour refinement, or None.

    Each node starts with the colour of its ground neighbourhood (the IRIs and literals it
    points at or is pointed at from), then takes on, round by round, the colours of its blank
    neighbours, until no round splits a colour class. When every node ends with a colour of
    its own (the usual case for shared blank nodes that say different things), the colours are
    canonical labels: they are computed from the graph alone. When some stay alike (a cycle of
    identical blank nodes, whose nodes only an exhaustive search can tell apart), or the
    rounds would cost more than :data:`_REFINE_BUDGET`, None: rdflib's exact algorithm.
    """
    def neighbours(node: str, colour: dict[str, str]) -> list[str]:
        forward = sorted(f"+{p} {colour[o]}" for p, o in out.get(node, ()) if o[0] == "_")
        backward = sorted(f"-{p} {colour[s]}" for s, p in incoming.get(node, ()) if s[0] == "_")
        return [*forward, "|", *backward]

    colour = {}
    for node in nodes:
        ground_out = sorted(f"{p} {o}" for p, o in out.get(node, ()) if o[0] != "_")
        ground_in = sorted(f"{s} {p}" for s, p in incoming.get(node, ()) if s[0] != "_")
        colour[node] = _digest("ground", *ground_out, "|", *ground_in)
    classes = len(set(colour.values()))
    cost = len(nodes) + sum(len(out.get(n, ())) + len(incoming.get(n, ())) for n in nodes)
    budget = _REFINE_BUDGET
    while classes < len(nodes):
        budget -= cost
        if budget < 0:
            return None
        colour = {node: _digest(colour[node], *neighbours(node, colour)) for node in nodes}
        count = len(set(colour.values()))
        if count == classes:
            return None  # stable, and not every node told apart
        classes = count
    return {node: f"_:r{value}" for node, value in colour.items()}


def _tree_labels(roots: list[str], out: dict[str, list[tuple[str, str]]],
                 incoming: dict[str, list[tuple[str, str]]]) -> dict[str, str]:
    """Labels of the blank nodes in the trees under ``roots`` (see
    :func:`canonical_blank_nodes`), without recursion (an RDF list is as deep as it is long)."""
    content: dict[str, str] = {}
    for root in roots:
        stack = [(root, False)]
        while stack:
            node, done = stack.pop()
            if done:
                pairs = sorted(f"{p} {'[' + content[o] + ']' if o[0] == '_' else o}"
                               for p, o in out.get(node, ()))
                content[node] = _digest(*pairs)
                continue
            stack.append((node, True))
            stack.extend((o, False) for _p, o in out.get(node, ()) if o[0] == "_")
    labels: dict[str, str] = {}
    used: dict[str, int] = {}

    def name(key: str) -> str:
        count = used.get(key, 0)
        used[key] = count + 1
        return f"_:c{key}" if count == 0 else f"_:c{key}x{count}"

    # roots first, in an order that depends only on the graph
    keyed = []
    for root in roots:
        into = incoming.get(root)
        s, p = into[0] if into else ("", "")
        keyed.append((_digest("root", s, p, content[root]), root))
    keyed.sort()
    queue = []
    for key, root in keyed:
        labels[root] = name(key)
        queue.append(root)
    for node in queue:  # grows as it goes: breadth first
        children = sorted((_digest(labels[node], p, content[o]), o)
                          for p, o in out.get(node, ()) if o[0] == "_")
        for key, child in children:
            labels[child] = name(key)
            queue.append(child)
    return labels


def _exact_canonical(triples: list[tuple[NtTriple, _Loc]]) -> dict[NtTriple, _Loc]:
    """rdflib's canonical labels for the blank nodes that are not in a tree. Every triple
    gets the place of the first (rdflib's canonical graph does not say which became which)."""
    from rdflib.compare import to_canonical_graph

    graph = Graph()
    for (s, p, o), _loc in triples:
        graph.add((rdflib_term(s), rdflib_term(p), rdflib_term(o)))
    where = triples[0][1]
    return {(nt_term(s), nt_term(p), nt_term(o)): where for s, p, o in to_canonical_graph(graph)}


# -- the built model ----------------------------------------------------------------------------
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
        self._triples: dict[NtTriple, _Loc] | None = None
        self._places: list[tuple[str, str | None]] = []
        self._store: pyoxigraph.Store | None = None
        self._sorted: list[pyoxigraph.Triple] | None = None
        self._terms: dict[str, Node] = {}
        #: The blank nodes already carry canonical labels (:func:`canonical_blank_nodes`)
        self._canonical_blanks = False

    @classmethod
    def _from_build(cls, triples: dict[NtTriple, _Loc], subjects: dict[str, SourceLocation],
                    places: list[tuple[str, str | None]]) -> BuiltModel:
        model = cls(None, subjects)
        model._triples = triples
        model._places = places
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
                from .export.rdf import to_oxigraph

                store.bulk_extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))
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
            from .export.rdf import to_ntriples

            return to_ntriples(self.graph)
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

        ordered = sorted(self._triples, key=_n3_key)
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

    def __init__(self, triples: dict[NtTriple, _Loc], places: list[tuple[str, str | None]],
                 term: object) -> None:
        self._triples = triples
        self._places = places
        self._term = term

    def __getitem__(self, triple: Triple) -> SourceLocation:
        try:
            key = (nt_term(triple[0]), nt_term(triple[1]), nt_term(triple[2]))
        except TypeError:
            raise KeyError(triple) from None
        return _location(self._triples[key], self._places)

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


def source_files(model_dir: Path) -> list[Path]:
    """Every file a loader takes, sorted, skipping hidden files and folders."""
    files = []
    for path in sorted(model_dir.rglob("*")):
        rel = path.relative_to(model_dir)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if reader_for(path) is not None:
            files.append(path)
    return files


def load_model(model_dir: Path | str, builder: _Builder | None = None) -> BuiltModel:
    """Load every source under ``model_dir``; raise :class:`ModelLoadError` listing all problems.

    ``builder`` lets validation build leniently (content rules left to SHACL) through the same
    reading loop."""
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise ModelLoadError([Problem(str(model_dir), None, "model folder not found")])
    with no_gc_pauses():
        return _read_and_build(model_dir, builder or _Builder())


def _read_and_build(model_dir: Path, builder: _Builder) -> BuiltModel:
    """Read every file into ``builder`` and build; the records die with this frame, before
    the garbage collector runs again (it would otherwise walk them all once)."""
    for path in source_files(model_dir):
        display = str(model_dir / path.relative_to(model_dir))
        read = reader_for(path)
        assert read is not None
        try:
            result = read(path, display)
        except MemoryError:
            # A backstop under the size limits (raised, or a small address space): what the
            # reader made is freed as its frames unwind, so the build can report and go on.
            builder.problems.append(Problem(display, None, "out of memory reading this file: "
                                            "split it, or run with more memory"))
            continue
        except RecursionError:
            builder.problems.append(Problem(display, None, "nested too deeply to read"))
            continue
        builder.problems.extend(result.problems)
        builder.records.extend(result.records)
        if result.graph is not None:
            builder.add_passthrough(display, result.graph, result.subject_lines)
    return builder.finish()


def build_from_records(records: Iterable[Record]) -> BuiltModel:
    """Build from records already read (used by the round trip and by tests)."""
    with no_gc_pauses():
        builder = _Builder()
        builder.records.extend(records)
        return builder.finish()


#: Net new container objects (the collector's youngest-generation count) above which
#: :func:`no_gc_pauses` freezes what the pause made: a 100k-triple build makes ~115,000.
FREEZE_AFTER = 100_000


@contextmanager
def no_gc_pauses(freeze_after: int = FREEZE_AFTER) -> Iterator[None]:
    """Hold the cyclic garbage collector while a build allocates millions of small objects.

    A build makes no reference cycles worth collecting, but CPython's collector runs every
    ~700 allocations and walks ever more live objects: at a million triples it took half of
    the build's time (10 s of 20). Reference counting still frees everything as usual.

    When the pause made more than ``freeze_after`` objects, they are moved to the
    collector's permanent generation (:func:`gc.freeze`) as it ends: otherwise the next
    collections walk them all again (at a million triples, rendering the ``analyze`` report
    spent ~1 s of its 1.1 s in such passes over the model). Frozen objects are still freed
    by reference counting; only cyclic garbage among them would stay, and a model holds no
    cycles. Small pauses (tests, the seed model) end as they began.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_count()[0] > freeze_after:
                gc.freeze()
            gc.enable()


def need_code_group_iri(code: str) -> URIRef:
    return URIRef(f"{BASE}behov/{code}")


def source_page_iri(source: URIRef, page: str) -> URIRef:
    return URIRef(f"{source}/side-{page}")


class _Builder:
    def __init__(self) -> None:
        self.records: list[Record] = []
        self.problems: list[Problem] = []
        self.triples: dict[NtTriple, _Loc] = {}
        self.subjects: dict[str, SourceLocation] = {}
        self.ids: dict[tuple[str, str], Record] = {}
        #: predicate -> subject -> objects, for the predicates the derivations read
        self.index: dict[str, dict[str, list[str]]] = {p: {} for p in _INDEXED}
        self.ref_cache: dict[tuple[tuple[str, ...], str], str] = {}
        self.page_cache: dict[tuple[str, str], str] = {}
        #: (file, sheet) pairs cells were read from, and each one's index (see :data:`_Loc`)
        self.places: list[tuple[str, str | None]] = []
        self.place_index: dict[tuple[str, str | None], int] = {}
        #: kind name -> column name -> its plan (see :data:`_Plan`)
        self.plans: dict[str, dict[str, _Plan]] = {}
        #: Whether a passthrough file brought blank nodes (they are relabelled canonically)
        self.has_blank_nodes = False

    # -- passthrough -------------------------------------------------------------------
    #: Refuse a passthrough literal whose lexical form is not in its datatype's lexical space
    #: (``"2021-13-01"^^xsd:date``): a build is meant for publishing, and rdflib would log a
    #: traceback for it on every later use. Validation's lenient build may leave it to
    #: ``sh:datatype`` instead.
    refuse_ill_typed = True

    def add_passthrough(self, display: str, graph: Graph, lines: dict[str, int]) -> None:
        for s, p, o in graph:
            if isinstance(s, BNode) or isinstance(o, BNode):
                self.has_blank_nodes = True
            if isinstance(o, Literal):
                if p in LANG_PREDICATES and not o.language:
                    line = lines.get(str(s))
                    self.problems.append(Problem(display, line,
                                                 f"{p.n3()} of <{s}> has no language tag"))
                if o.ill_typed and self.refuse_ill_typed:
                    self.problems.append(Problem(
                        display, lines.get(str(s)),
                        f"ill-typed literal {_shorten(nt_term(o))} (of <{s}>, {p.n3()}): the "
                        "text is not a valid value of its datatype"))
            self._add(nt_term(s), nt_term(p), nt_term(o),
                      SourceLocation(display, lines.get(str(s))))
        for subject, line in lines.items():
            self.subjects.setdefault(subject, SourceLocation(display, line))

    # -- records -----------------------------------------------------------------------
    def finish(self) -> BuiltModel:
        valid = [r for r in self.records if self._check_record(r)]
        for record in valid:
            key = (record.kind, record.id or "")
            if key in self.ids:
                first = self.ids[key]
                self.problems.append(record.problem(
                    f"duplicate id '{record.id}' in {record.kind} "
                    f"(first defined at {SourceLocation(first.file, first.line, first.sheet)})"))
                continue
            self.ids[key] = record
        for record in self.ids.values():
            self._emit(record)
        relations = _KIND_NT["gjenbruk"][1]
        for (kind_name, record_id), record in self.ids.items():
            if kind_name == "gjenbruk":
                self._derive_reuse(f"{relations}{record_id}>",
                                   SourceLocation(record.file, record.line, record.sheet))
        self._derive_need_hierarchy()
        if self.problems:
            raise ModelLoadError(self.problems)
        triples = self.triples
        if self.has_blank_nodes:
            triples = canonical_blank_nodes(triples, self.places)
        model = BuiltModel._from_build(triples, self.subjects, self.places)
        model._canonical_blanks = True
        return model

    def _check_record(self, record: Record) -> bool:
        kind = KINDS_BY_NAME.get(record.kind)
        if kind is None:
            self.problems.append(record.problem(
                f"unknown kind '{record.kind}' (from the file or sheet name); valid kinds: "
                + ", ".join(sorted(KINDS_BY_NAME))))
            return False
        columns = _COLUMNS[kind.name]
        cells_of = record.cells
        ok = True
        for name, cells in cells_of.items():
            entry = columns.get(name)
            if entry is None:
                if name == "id":
                    continue
                line = cells[0].line if cells else record.line
                if f"{name}_nb" in columns:
                    message = (f"column '{name}' has no language tag: use '{name}_nb' "
                               f"and '{name}_en'")
                else:
                    message = (f"unknown column '{name}' for kind {kind.name}; valid columns: "
                               + ", ".join(kind.column_names))
                self.problems.append(record.problem(message, line))
                ok = False
            elif len(cells) > 1 and not entry[0].multi:
                self.problems.append(record.problem(
                    f"column '{name}' takes one value, got {len(cells)}", cells[0].line))
                ok = False
        id_cells = cells_of.get("id") or []
        record_id = id_cells[0].value if id_cells else None
        if not record_id:
            self.problems.append(record.problem("record has no id"))
            return False
        # fullmatch: ``$`` also matches before a final line break, and an id written as a
        # YAML block scalar (``id: |``) ends in one; it would make an IRI with a newline.
        if len(id_cells) > 1 or not ID_PATTERN.fullmatch(record_id):
            self.problems.append(record.problem(
                f"bad id '{record_id}': use lower-case letters, digits, '.', '-' or '_'"))
            return False
        for name in _REQUIRED[kind.name]:
            if not cells_of.get(name):
                self.problems.append(record.problem(
                    f"{kind.name} '{record_id}' lacks required column '{name}'"))
                ok = False
        return ok

    def _add(self, s: str, p: str, o: str, location: _Loc) -> None:
        key = (s, p, o)
        if key in self.triples:
            return
        self.triples[key] = location
        index = self.index.get(p)
        if index is not None:
            index.setdefault(s, []).append(o)

    def _first(self, subject: str, predicate: str) -> str | None:
        objects = self.index[predicate].get(subject)
        return objects[0] if objects else None

    def _emit(self, record: Record) -> None:
        kind_name = record.kind
        cls, prefix = _KIND_NT[kind_name]
        subject = f"{prefix}{record.id or ''}>"
        where = SourceLocation(record.file, record.line, record.sheet)
        self.subjects[subject[1:-1]] = where
        self._add(subject, _RDF_TYPE, cls, where)
        plans = self.plans.get(kind_name) or self._plan(KINDS_BY_NAME[kind_name])
        place = (record.file, record.sheet)
        base = self.place_index.get(place)
        if base is None:
            base = self.place_index[place] = len(self.places) << _LINE_BITS
            self.places.append(place)
        triples = self.triples
        value_of = self._value
        # _add inlined: this loop runs once per cell, a million times for a national model
        for name, cells in record.cells.items():
            plan = plans.get(name)
            if plan is None:
                continue
            column, predicate, lang, inverse, memo, index = plan
            for cell in cells:
                text, line = cell
                if lang is not None:  # most cells are labels: no call, no checks needed
                    text = text.strip()
                    if _NEEDS_ESCAPE.search(text):
                        text = text.translate(_NT_ESCAPE)
                    value: str | None = f'"{text}"@{lang}'
                else:
                    value = memo.get(text)
                    if value is None:
                        value = value_of(record, column, cell)
                        if value is None:
                            continue  # a problem, recorded for this cell: never memoised
                        memo[text] = value
                key = (value, predicate, subject) if inverse else (subject, predicate, value)
                if key in triples:
                    continue
                triples[key] = base | (line or 0)
                if index is not None:
                    index.setdefault(key[0], []).append(key[2])

    def _plan(self, kind: Kind) -> dict[str, _Plan]:
        """What :meth:`_emit` needs for each column of ``kind``, looked up once per cell
        column in one step (a national model has a million of them)."""
        plans = self.plans[kind.name] = {}
        for name, (column, predicate) in _COLUMNS[kind.name].items():
            if column.type == "type":
                predicate = _RDF_TYPE
            plans[name] = (column, predicate, column.lang if column.type == "lang" else None,
                           column.inverse, {}, self.index.get(predicate))
        return plans

    def _value(self, record: Record, column: Column, cell: Cell) -> str | None:
        """A cell's value as an N-Triples term, or None after recording a problem.

        (``lang`` cells, most of a model, are written by :meth:`_emit` without this call.)
        """
        raw = cell.value.strip()
        kind = column.type
        if kind == "lang":
            if _NEEDS_ESCAPE.search(raw):
                raw = raw.translate(_NT_ESCAPE)
            return f'"{raw}"@{column.lang}'
        if kind == "ref":
            return self._resolve(record, cell, column.targets, column.name)
        if kind == "source":
            source_id, _, page = raw.partition(":")
            source = self._resolve(record, Cell(source_id.strip(), cell.line), ("kilder",),
                                   column.name)
            if source is None or not page.strip():
                return source
            return self._source_page(source, page.strip(), record, cell)
        if kind == "text":
            return _nt_literal(raw)
        if kind == "int":
            try:
                return _nt_literal(str(int(raw)), datatype=_XSD_INTEGER)
            except ValueError:
                return self._bad(record, cell,
                                 f"column '{column.name}': '{raw}' is not a whole number")
        if kind == "bool":
            if raw.lower() in TRUE_WORDS:
                return _nt_literal("true", datatype=_XSD_BOOLEAN)
            if raw.lower() in FALSE_WORDS:
                return _nt_literal("false", datatype=_XSD_BOOLEAN)
            return self._bad(record, cell, f"column '{column.name}': '{raw}' is not true/false")
        if kind == "date":
            try:
                dt.date.fromisoformat(raw)
            except ValueError:
                return self._bad(record, cell,
                                 f"column '{column.name}': '{raw}' is not a date (YYYY-MM-DD)")
            # rdflib's lexical form (it normalises dates), so every view agrees
            return _nt_literal(str(Literal(raw, datatype=XSD.date)), datatype=_XSD_DATE)
        if kind == "code":
            if not NEED_CODE_PATTERN.match(raw):
                return self._bad(record, cell, f"bad need code '{raw}': use dot-separated "
                                 "two-digit segments, e.g. 05.20.20")
            return _nt_literal(raw)
        if kind == "type":
            for value, cls in column.choices:
                if raw == value:
                    return _nt_iri(str(cls))
            return self._bad(record, cell, f"column '{column.name}': '{raw}' is not one of "
                             + ", ".join(v for v, _ in column.choices))
        raise AssertionError(column.type)

    def _bad(self, record: Record, cell: Cell, message: str) -> None:
        self.problems.append(record.problem(message, cell.line))
        return None

    def _resolve(self, record: Record, cell: Cell, targets: tuple[str, ...],
                 column: str) -> str | None:
        raw = cell.value.strip()
        cached = self.ref_cache.get((targets, raw))
        if cached is not None:
            return cached
        kinds = [KINDS_BY_NAME[t] for t in targets] if targets else list(KINDS_BY_NAME.values())
        ref = raw
        if "/" in ref:
            segment, _, ref_id = ref.partition("/")
            kinds = [k for k in kinds if k.segment == segment]
            ref = ref_id
        found = [k for k in kinds if (k.name, ref) in self.ids]
        if len(found) == 1:
            iri = self.ref_cache[(targets, raw)] = f"<{BASE}{found[0].segment}/{ref}>"
            return iri
        if len(found) > 1:
            options = ", ".join(f"{k.segment}/{ref}" for k in found)
            return self._bad(record, cell, f"column '{column}': '{ref}' is ambiguous; write one "
                             f"of {options}")
        known = sorted(i for (k, i) in self.ids if k in {kind.name for kind in kinds})
        close = difflib.get_close_matches(ref, known, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        wanted = " or ".join(k.name for k in kinds) if targets else "any kind"
        return self._bad(record, cell, f"column '{column}': unknown id '{cell.value.strip()}' "
                         f"(expected an id of {wanted}){hint}")

    def _source_page(self, source: str, page: str, record: Record, cell: Cell) -> str | None:
        if not all(part.isdigit() for part in page.split("-")) or page.count("-") > 1:
            return self._bad(record, cell, f"bad page '{page}': use a number or a range, "
                             "e.g. seed:32 or seed:22-24")
        cached = self.page_cache.get((source, page))
        if cached is not None:
            return cached  # its triples are there already
        source_iri = source[1:-1]
        iri = f"{source_iri}/side-{page}"
        nt = self.page_cache[(source, page)] = _nt_iri(iri)
        where = SourceLocation(record.file, cell.line, record.sheet)
        source_id = source_iri.split("/")[-1]
        source_record = self.ids.get(("kilder", source_id))
        tag_cells = source_record.cells.get("tag") if source_record else None
        tag = tag_cells[0].value if tag_cells else source_id
        derived = [
            (_RDF_TYPE, _nt_iri(str(SAM.SourcePage))),
            (_nt_iri(str(DCTERMS.isPartOf)), source),
            (_nt_iri(str(SAM.page)), _nt_literal(page)),
            (_RDFS_LABEL, _nt_literal(f"{tag} side {page}", lang="nb")),
            (_RDFS_LABEL, _nt_literal(f"{tag} page {page}", lang="en")),
        ]
        for predicate, value in derived:
            self._add(nt, predicate, value, where)
        self.subjects.setdefault(iri, where)
        return nt

    # -- derived -----------------------------------------------------------------------
    def _derive_reuse(self, relation: str, where: SourceLocation) -> None:
        """Write the ``sam:reuses`` shortcut, and labels the record left out."""
        user = self._first(relation, _REUSING)
        used = self._first(relation, _REUSED)
        if user is None or used is None:
            return
        self._add(user, _REUSES, used, where)
        verbs = {"nb": "gjenbruker", "en": "reuses"}
        present = {_literal_lang(o) for o in self.index[_RDFS_LABEL].get(relation, ())
                   if o.startswith('"')}
        for lang, verb in verbs.items():
            if lang not in present:
                text = f"{self._label(user, lang)} {verb} {self._label(used, lang)}"
                self._add(relation, _RDFS_LABEL, _nt_literal(text, lang=lang), where)

    def _label(self, node: str, lang: str) -> str:
        for value in self.index[_RDFS_LABEL].get(node, ()):
            if value.startswith('"'):
                lexical, suffix = _split_literal(value)
                if suffix == f"@{lang}":
                    return lexical
        return node[1:-1].rsplit("/", 1)[-1]

    def _derive_need_hierarchy(self) -> None:
        """Each need is a SKOS concept whose broader concept is the need (or code group) whose
        code is its code minus the last segment; missing code groups are generated."""
        kind = KINDS_BY_NAME["behov"]
        by_code: dict[str, str] = {}
        sources: dict[str, set[str]] = {}
        source_index = self.index[_DCTERMS_SOURCE]
        for record_id in sorted(i for k, i in self.ids if k == "behov"):
            need = f"<{BASE}{kind.segment}/{record_id}>"
            code = self._first(need, _SKOS_NOTATION)
            if code is None:
                continue
            by_code[_lexical(code)] = need
        # deepest codes first, then by code; a heap keeps the order a sorted list would
        pending = [(-c.count("."), c) for c in by_code]
        heapq.heapify(pending)
        seen_groups: set[str] = set()
        concept_type = _nt_iri(str(SKOS.Concept))
        in_scheme = _nt_iri(str(SKOS.inScheme))
        top_concept = _nt_iri(str(SKOS.topConceptOf))
        broader = _nt_iri(str(SKOS.broader))
        derived = SourceLocation("(derived)")
        while pending:
            code = heapq.heappop(pending)[1]
            concept = by_code.get(code) or _nt_iri(f"{BASE}behov/{code}")
            where = self.subjects.get(concept[1:-1], derived)
            self._add(concept, _RDF_TYPE, concept_type, where)
            self._add(concept, in_scheme, _NEED_SCHEME, where)
            if "." not in code:
                self._add(concept, top_concept, _NEED_SCHEME, where)
                continue
            parent_code = code.rsplit(".", 1)[0]
            parent = by_code.get(parent_code) or _nt_iri(f"{BASE}behov/{parent_code}")
            self._add(concept, broader, parent, where)
            parent_sources = sources.get(parent_code)
            if parent_sources is None:
                parent_sources = sources[parent_code] = set()
            parent_sources.update(source_index.get(concept, ()))
            parent_sources.update(sources.get(code, ()))
            if parent_code not in by_code and parent_code not in seen_groups:
                seen_groups.add(parent_code)
                self._add(parent, _RDF_TYPE, _nt_iri(str(SAM.NeedCodeGroup)), where)
                self._add(parent, _SKOS_NOTATION, _nt_literal(parent_code), where)
                self._add(parent, _RDFS_LABEL, _nt_literal(f"Behovskode {parent_code}", "nb"),
                          where)
                self._add(parent, _RDFS_LABEL, _nt_literal(f"Need code {parent_code}", "en"),
                          where)
                self.subjects.setdefault(parent[1:-1], where)
                heapq.heappush(pending, (-parent_code.count("."), parent_code))
        for code, code_sources in sources.items():
            if code in by_code:
                continue
            group = _nt_iri(f"{BASE}behov/{code}")
            for source in code_sources:
                self._add(group, _DCTERMS_SOURCE, source, self.subjects[group[1:-1]])


def _shorten(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters for a message (a hostile literal may be long)."""
    return text if len(text) <= limit else text[:limit - 3] + "..."


def kind_of_subject(subject: Node) -> Kind | None:
    """The kind whose IRI segment a subject lives under, if any."""
    text = str(subject)
    if not text.startswith(BASE):
        return None
    segment = text[len(BASE):].split("/", 1)[0]
    return KINDS_BY_SEGMENT.get(segment)
