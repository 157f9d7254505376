"""The ontology as the site reads it: every class and property with its label and definition
in both languages, so a page names a relation ("gjenbruker", "reuses") rather than an IRI.

Read from the bundled ontology files (the same ones ``samhandling query`` loads), with rdflib:
the ontology is small, and this runs once per site.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef

from ..namespaces import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, curie
from ..resources import ontology_files

#: OWL types that make a term a class or a property on the ontology page.
_CLASS_TYPES = (OWL.Class, RDFS.Class)
_PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                   RDF.Property)


#: Names of the reused vocabularies' terms the model uses, which the ontology declares but
#: does not label (it must not redefine them): (nb, en).
REUSED_LABELS: dict[URIRef, tuple[str, str]] = {
    RDF.type: ("er en", "is a"),
    RDFS.label: ("navn", "label"),
    SKOS.altLabel: ("også kalt", "also called"),
    SKOS.definition: ("definisjon", "definition"),
    SKOS.note: ("merknad", "note"),
    SKOS.notation: ("kode", "code"),
    SKOS.broader: ("overordnet", "broader"),
    SKOS.narrower: ("underordnet", "narrower"),
    SKOS.inScheme: ("i begrepssystemet", "in scheme"),
    SKOS.hasTopConcept: ("har toppbegrepet", "has top concept"),
    SKOS.topConceptOf: ("toppbegrep i", "top concept of"),
    DCTERMS.source: ("kilde", "source"),
    DCTERMS.isPartOf: ("del av", "part of"),
    DCTERMS.title: ("tittel", "title"),
    DCTERMS.description: ("beskrivelse", "description"),
    DCTERMS.identifier: ("identifikator", "identifier"),
    DCTERMS.issued: ("utgitt", "issued"),
    DCTERMS.date: ("dato", "date"),
    DCTERMS.bibliographicCitation: ("referanse", "citation"),
    PROV.wasDerivedFrom: ("avledet fra", "derived from"),
}


@dataclass(frozen=True)
class Term:
    """A class or property of the ontology."""

    iri: str
    curie: str
    #: ``class`` or ``ObjectProperty``/``DatatypeProperty``/``AnnotationProperty``
    type: str
    labels: dict[str, str] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)
    domain: str = ""
    range: str = ""
    parents: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        return self.curie.replace(":", "-")

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.curie

    def definition(self, lang: str) -> str:
        return self.definitions.get(lang) or self.definitions.get("en") or ""


@dataclass
class Vocabulary:
    """Classes and properties by IRI."""

    terms: dict[str, Term]

    @property
    def classes(self) -> list[Term]:
        return [t for t in self.terms.values() if t.type == "class"]

    @property
    def properties(self) -> list[Term]:
        return [t for t in self.terms.values() if t.type != "class"]

    def label(self, iri: str, lang: str) -> str:
        term = self.terms.get(iri)
        if term is not None:
            return term.label(lang)
        reused = REUSED_LABELS.get(URIRef(iri))
        if reused is not None:
            return reused[0] if lang == "nb" else reused[1]
        return curie(iri) or iri


def _texts(graph: Graph, subject: URIRef, *predicates: URIRef) -> dict[str, str]:
    found: dict[str, str] = {}
    for predicate in predicates:
        for value in sorted(graph.objects(subject, predicate), key=str):
            if isinstance(value, Literal) and value.language in ("nb", "en"):
                found.setdefault(value.language, " ".join(str(value).split()))
    return found


def read_vocabulary() -> Vocabulary:
    """Every class and property the bundled ontology declares, sorted by CURIE."""
    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    terms: dict[str, Term] = {}
    for kinds, name in ((_CLASS_TYPES, "class"), (_PROPERTY_TYPES, "")):
        for owl_type in kinds:
            for subject in graph.subjects(RDF.type, owl_type):
                if not isinstance(subject, URIRef) or str(subject) in terms:
                    continue
                domain = graph.value(subject, RDFS.domain)
                range_ = graph.value(subject, RDFS.range)
                parent_predicate = RDFS.subClassOf if name else RDFS.subPropertyOf
                parents = sorted(str(p) for p in graph.objects(subject, parent_predicate)
                                 if isinstance(p, URIRef))
                labels = _texts(graph, subject, RDFS.label, SKOS.prefLabel)
                if not labels and subject in REUSED_LABELS:
                    labels = dict(zip(("nb", "en"), REUSED_LABELS[subject], strict=True))
                terms[str(subject)] = Term(
                    str(subject), curie(str(subject)) or str(subject),
                    name or str(owl_type).rsplit("#", 1)[-1], labels,
                    _texts(graph, subject, SKOS.definition, RDFS.comment),
                    str(domain) if isinstance(domain, URIRef) else "",
                    str(range_) if isinstance(range_, URIRef) else "", tuple(parents))
    return Vocabulary(dict(sorted(terms.items(), key=lambda item: item[1].curie)))
