"""RDF passthrough: a Turtle, N-Triples or JSON-LD file dropped into ``model/`` loads as it is.

Parsed by pyoxigraph, which reports syntax errors with their line and never fetches remote
JSON-LD contexts (no network during a build).
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from samhandling.errors import Problem

from .base import SourceReader, SourceResult, read_text, register

FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
           ".jsonld": ox.RdfFormat.JSON_LD}


def to_rdflib(term: object) -> Node:
    """Convert one pyoxigraph term to its rdflib twin."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported RDF term: {term!r}")


@register
class RdfReader(SourceReader):
    extensions = tuple(FORMATS)

    def read(self, path: Path, display: str) -> SourceResult:
        result = SourceResult()
        text = read_text(path, display, result)
        if text is None:
            return result
        graph = Graph()
        try:
            for quad in ox.parse(text, format=FORMATS[path.suffix.lower()],
                                 base_iri=path.resolve().as_uri()):
                graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate),
                           to_rdflib(quad.object)))
        except SyntaxError as exc:
            message = str(exc)
            message = re.sub(r"\s*\([^()]*, line \d+\)$", "", message)
            result.problems.append(Problem(display, getattr(exc, "lineno", None),
                                           f"malformed RDF: {message}"))
            return result
        result.graph = graph
        result.subject_lines = _subject_lines(text, graph)
        return result


def _subject_lines(text: str, graph: Graph) -> dict[str, int]:
    """Where each subject IRI first appears, by its local name; good enough for pointing."""
    lines: dict[str, int] = {}
    text_lines = text.splitlines()
    for subject in {s for s in graph.subjects() if isinstance(s, URIRef)}:
        iri = str(subject)
        local = re.split(r"[/#]", iri.rstrip("/#"))[-1]
        for number, line in enumerate(text_lines, start=1):
            if iri in line or (local and re.search(rf"[:<]{re.escape(local)}\b", line)):
                lines[iri] = number
                break
    return lines
