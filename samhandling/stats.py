"""Counts per class of a built model, labelled from the ontology."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rdflib import Graph, URIRef

from .namespaces import RDF, curie
from .vocabulary import label, ontology_graph


@dataclass(frozen=True)
class ClassCount:
    cls: str
    label: str
    count: int


def class_counts(graph: Graph, lang: str = "nb") -> list[ClassCount]:
    """Instances per asserted class, most frequent first, ties by label."""
    counts = Counter(o for o in graph.objects(None, RDF.type) if isinstance(o, URIRef))
    labels = ontology_graph()
    rows = [ClassCount(curie(str(cls)) or str(cls), label(labels, cls, lang), n)
            for cls, n in counts.items()]
    return sorted(rows, key=lambda r: (-r.count, r.label, r.cls))
