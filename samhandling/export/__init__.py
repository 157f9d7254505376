"""Writers of the built graph, one module per output format, behind one registry."""

from __future__ import annotations

from collections.abc import Callable

from rdflib import Graph

from ..built import BuiltModel
from ..errors import UsageError
from .rdf import to_jsonld, to_ntriples, to_turtle

#: format name -> (file extension, writer). Aliases map to the same writer.
GRAPH_FORMATS: dict[str, tuple[str, Callable[[Graph | BuiltModel], bytes]]] = {
    "turtle": (".ttl", to_turtle),
    "ntriples": (".nt", to_ntriples),
    "jsonld": (".jsonld", to_jsonld),
}
ALIASES = {"ttl": "turtle", "nt": "ntriples", "json-ld": "jsonld"}


def graph_writer(name: str) -> tuple[str, Callable[[Graph | BuiltModel], bytes]]:
    key = ALIASES.get(name, name)
    if key not in GRAPH_FORMATS:
        raise UsageError(f"unknown format '{name}'; valid: {', '.join(GRAPH_FORMATS)}")
    return GRAPH_FORMATS[key]


__all__ = ["GRAPH_FORMATS", "graph_writer", "to_jsonld", "to_ntriples", "to_turtle"]
