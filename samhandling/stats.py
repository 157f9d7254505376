"""Counts per class of a built model, labelled from the ontology, as text, JSON, CSV or Markdown."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass

from rdflib import Graph, URIRef

from .errors import UsageError
from .namespaces import RDF, curie
from .vocabulary import label, ontology_graph

STATS_FORMATS = ("text", "json", "md", "csv")

#: Labels for classes of other vocabularies the model uses; the ontology labels only its own,
#: and a Norwegian report must not show "Concept" (found by ``stats --lang nb``).
_FOREIGN_LABELS: dict[str, tuple[str, str]] = {
    "http://www.w3.org/2004/02/skos/core#Concept": ("Begrep", "Concept"),
    "http://www.w3.org/2004/02/skos/core#ConceptScheme": ("Begrepssystem", "Concept scheme"),
    "http://www.w3.org/2004/02/skos/core#Collection": ("Begrepssamling", "Collection"),
    "http://www.w3.org/ns/prov#Entity": ("Entitet", "Entity"),
    "http://www.w3.org/ns/prov#Activity": ("Aktivitet", "Activity"),
    "http://www.w3.org/ns/prov#Agent": ("Agent", "Agent"),
}


@dataclass(frozen=True)
class ClassCount:
    cls: str
    label: str
    count: int


def _class_label(labels: Graph, cls: URIRef, lang: str) -> str:
    known = _FOREIGN_LABELS.get(str(cls))
    if known is not None:
        return known[0] if lang == "nb" else known[1]
    return label(labels, cls, lang)


def class_counts(graph: Graph, lang: str = "nb") -> list[ClassCount]:
    """Instances per asserted class, most frequent first, ties by label."""
    counts = Counter(o for o in graph.objects(None, RDF.type) if isinstance(o, URIRef))
    labels = ontology_graph()
    rows = [ClassCount(curie(str(cls)) or str(cls), _class_label(labels, cls, lang), n)
            for cls, n in counts.items()]
    return sorted(rows, key=lambda r: (-r.count, r.label, r.cls))


def render_counts(rows: list[ClassCount], triples: int, fmt: str = "text",
                  lang: str = "nb") -> str:
    """The counts in ``fmt``: aligned ``text``, ``md`` table, ``csv`` or ``json`` (all rows).

    Raises
    ------
    UsageError
        Unknown format.
    """
    total = "tripler" if lang == "nb" else "triples"
    heads = ("klasse", "antall", "IRI") if lang == "nb" else ("class", "count", "IRI")
    if fmt == "json":
        data = {"classes": [{"class": r.cls, "label": r.label, "count": r.count} for r in rows],
                "triples": triples}
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["class", "label", "count"])
        writer.writerows([r.cls, r.label, r.count] for r in rows)
        return out.getvalue()
    if fmt == "md":
        lines = [f"| {heads[0]} | {heads[1]} | {heads[2]} |", "| --- | ---: | --- |"]
        lines += [f"| {r.label.replace('|', chr(92) + '|')} | {r.count} | `{r.cls}` |"
                  for r in rows]
        lines.append(f"| {total} | {triples} | |")
        return "\n".join(lines) + "\n"
    if fmt != "text":
        raise UsageError(f"unknown format '{fmt}'; valid formats: {', '.join(STATS_FORMATS)}")
    width = max((len(r.label) for r in rows), default=10)
    lines = [f"{r.label:<{width}}  {r.count:>5}  {r.cls}" for r in rows]
    lines.append(f"{total:<{width}}  {triples:>5}")
    return "\n".join(lines) + "\n"
