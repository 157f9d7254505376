"""How validation names what it reports: nodes, shapes, paths and errors, as a reader wants them.

Results (:mod:`.results`) and the shape checks' refusals (:mod:`.shapes`) name the same things
the same way: a model IRI without the base, a vocabulary IRI as ``prefix:name``, a bundled shape
by its local name, a SHACL path as SPARQL property-path text, a blank node never by its id.
One module, so a result and a refusal can never disagree on a name.
"""

from __future__ import annotations

import re

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..namespaces import BASE, PREFIXES, RDF, SH

#: The namespace of the bundled shapes (``samsh:``); their names show without it.
SHAPES_NS = BASE + "shapes#"


def local_name(node: Node) -> str:
    """The last segment of an IRI (after ``#`` or ``/``): a component or datatype's name."""
    return re.split(r"[#/]", str(node))[-1]


def compact(node: Node) -> str:
    """An IRI as ``prefix:name`` with the longest known namespace, else ``<iri>``."""
    text = str(node)
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    return f"<{text}>"


def compact_shape(node: Node) -> str:
    """A shape's name: the bundled shapes without their namespace, a blank shape as such."""
    if isinstance(node, BNode):
        return "(anonymous shape)"
    text = str(node)
    if text.startswith(SHAPES_NS):
        return text[len(SHAPES_NS):]
    return compact(node)


def show(node: Node | None) -> str:
    """A node as a reader wants it: model IRIs without the base, literals quoted."""
    if node is None:
        return ""
    if isinstance(node, Literal):
        text = str(node)
        return f'"{text}"@{node.language}' if node.language else (
            text if node.datatype and local_name(node.datatype) in ("integer", "boolean")
            else f'"{text}"')
    if isinstance(node, BNode):
        return "[]"
    text = str(node)
    if text.startswith(BASE) and not text.startswith(str(PREFIXES["sam"])):
        return text[len(BASE):]
    return compact(node)


def show_path(graph: Graph, path: Node | None) -> str:
    """A SHACL path as SPARQL property-path text; blank nodes never show."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return compact(path)
    for predicate, prefix, suffix in ((SH.inversePath, "^", ""), (SH.zeroOrMorePath, "", "*"),
                                      (SH.oneOrMorePath, "", "+"), (SH.zeroOrOnePath, "", "?")):
        inner = graph.value(path, predicate)
        if inner is not None:
            return f"{prefix}{show_path(graph, inner)}{suffix}"
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(show_path(graph, p) for p in graph.items(alternatives)) + ")"
    if graph.value(path, RDF.first) is not None:
        return "/".join(show_path(graph, p) for p in graph.items(path))
    return ""


def owner_shape(shapes: Graph, node: Node) -> Node:
    """The named shape a blank SPARQL constraint hangs from."""
    for _ in range(5):
        if not isinstance(node, BNode):
            return node
        parent = next(iter(shapes.subjects(None, node)), None)
        if parent is None:
            return node
        node = parent
    return node


def error_text(exc: BaseException) -> str:
    """An exception's message on one line (pySHACL's span several, with indentation)."""
    text = getattr(exc, "message", None) or str(exc)
    return " ".join(str(text).split())


__all__ = ["SHAPES_NS", "compact", "compact_shape", "error_text", "local_name", "owner_shape",
           "show", "show_path"]
