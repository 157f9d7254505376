"""Byte-stable RDF serializations: canonical blank nodes, sorted triples, fixed prefixes.

rdflib's own serializers follow hash order in places; here triples are sorted first and
written by pyoxigraph, so the same graph always gives the same bytes and git diffs mean
something.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
from rdflib import Graph

from ..built import BuiltModel
from ..namespaces import PREFIXES
from ..terms import canonical_triples


def sorted_triples(graph: Graph | BuiltModel) -> list[ox.Triple]:
    """The graph's triples with canonical blank-node labels, in a stable order.

    A model built from sources without blank nodes is sorted straight from its N-Triples
    (:meth:`BuiltModel.sorted_oxigraph_triples`, same order): no rdflib graph is made."""
    if isinstance(graph, BuiltModel):
        fast = graph.sorted_oxigraph_triples()
        if fast is not None:
            return fast
        graph = graph.graph
    return canonical_triples(graph)


def _serialize(graph: Graph | BuiltModel, format: ox.RdfFormat,
               prefixes: dict[str, str] | None = None) -> bytes:
    """The sorted triples in ``format`` (pyoxigraph returns None only when given a file)."""
    return ox.serialize(sorted_triples(graph), format=format, prefixes=prefixes) or b""


def to_turtle(graph: Graph | BuiltModel) -> bytes:
    text = _serialize(graph, ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode("utf-8")
    lines = text.splitlines(keepends=True)
    head = [line for line in lines if line.startswith("@prefix")]
    # pyoxigraph keeps prefixes in a hash map: sort them so the bytes never depend on it.
    return ("".join(sorted(head)) + "".join(lines[len(head):])).encode("utf-8")


def to_ntriples(graph: Graph | BuiltModel) -> bytes:
    return _serialize(graph, ox.RdfFormat.N_TRIPLES)


def to_jsonld(graph: Graph | BuiltModel) -> bytes:
    """Expanded JSON-LD, pretty-printed with sorted keys (no remote context needed to read)."""
    # One step at a time, each input dropped when used: at a million triples every stage
    # (bytes, parsed document, text) is hundreds of MB, and only one should be alive.
    document = json.loads(_serialize(graph, ox.RdfFormat.JSON_LD))
    text = json.dumps(document, indent=1, ensure_ascii=False, sort_keys=True)
    del document
    return text.encode("utf-8") + b"\n"
