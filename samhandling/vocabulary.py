"""The bundled OWL ontology as an rdflib graph, and labels of its terms in either language.

Named `vocabulary`, not `ontology`: `samhandling.ontology` is the data package that holds the
ontology files in the wheel, and a module of the same name would shadow it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from rdflib import Graph, Literal
from rdflib.term import Node

from .namespaces import RDFS, SKOS
from .resources import ontology_files


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """Parse the ontology once per process (it is small and never changes at run time)."""
    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return graph


#: Where a label is looked for, in order of preference.
LABEL_PREDICATES = (RDFS.label, SKOS.prefLabel)


def label(graph: Graph, node: Node, lang: str) -> str:
    """The ``rdfs:label`` (or ``skos:prefLabel``) of ``node`` in ``lang``, falling back to the
    other language, then to the IRI's last segment."""
    return pick_label([v for predicate in LABEL_PREDICATES
                       for v in sorted(graph.objects(node, predicate), key=str)], node, lang)


def pick_label(values: Iterable[Node], node: Node, lang: str) -> str:
    """:func:`label` from the label values already fetched, best predicate first. The first
    value of a language wins, so callers pass them sorted: a node with two labels in one
    language (a defect the shapes report) then shows the same one whatever the store's order."""
    labels: dict[str | None, str] = {}
    for value in values:
        if isinstance(value, Literal):
            labels.setdefault(value.language, str(value))
    for key in (lang, "nb", "en", None):
        if key in labels:
            return labels[key]
    if labels:
        return sorted(labels.values())[0]
    text = str(node)
    return text.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
