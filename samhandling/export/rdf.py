"""Byte-stable RDF serializations: canonical blank nodes, sorted triples, fixed prefixes.

rdflib's own serializers follow hash order in places; here triples are sorted first and
written by pyoxigraph, so the same graph always gives the same bytes and git diffs mean
something.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from ..build import BuiltModel
from ..namespaces import PREFIXES


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert one rdflib term to pyoxigraph."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported RDF term: {term!r}")


def sorted_triples(graph: Graph | BuiltModel) -> list[ox.Triple]:
    """The graph's triples with canonical blank-node labels, in a stable order.

    A model built from sources without blank nodes is sorted straight from its N-Triples
    (:meth:`BuiltModel.sorted_oxigraph_triples`, same order): no rdflib graph is made."""
    if isinstance(graph, BuiltModel):
        fast = graph.sorted_oxigraph_triples()
        if fast is not None:
            return fast
        graph = graph.graph
    if any(isinstance(t, BNode) for triple in graph for t in (triple[0], triple[2])):
        graph = to_canonical_graph(graph)
    ordered = sorted(graph, key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3()))
    return [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
            for s, p, o in ordered]


def to_turtle(graph: Graph | BuiltModel) -> bytes:
    text = ox.serialize(sorted_triples(graph), format=ox.RdfFormat.TURTLE,
                        prefixes=PREFIXES).decode("utf-8")
    lines = text.splitlines(keepends=True)
    head = [line for line in lines if line.startswith("@prefix")]
    # pyoxigraph keeps prefixes in a hash map: sort them so the bytes never depend on it.
    return ("".join(sorted(head)) + "".join(lines[len(head):])).encode("utf-8")


def to_ntriples(graph: Graph | BuiltModel) -> bytes:
    return ox.serialize(sorted_triples(graph), format=ox.RdfFormat.N_TRIPLES)


def to_jsonld(graph: Graph | BuiltModel) -> bytes:
    """Expanded JSON-LD, pretty-printed with sorted keys (no remote context needed to read)."""
    # One step at a time, each input dropped when used: at a million triples every stage
    # (bytes, parsed document, text) is hundreds of MB, and only one should be alive.
    document = json.loads(ox.serialize(sorted_triples(graph), format=ox.RdfFormat.JSON_LD))
    text = json.dumps(document, indent=1, ensure_ascii=False, sort_keys=True)
    del document
    return text.encode("utf-8") + b"\n"
