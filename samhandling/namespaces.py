"""The one base namespace of samhandling and the vocabularies it reuses.

Every IRI the project mints starts with :data:`BASE`. Terms of the ontology live under
``BASE + "ontologi#"``; model resources under ``BASE + "<segment>/<id>"`` (for example
``https://w3id.org/samhandling/tjeneste/legemidler-og-vaksiner``), so an IRI can be read and
typed by hand.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/samhandling/"
SAM = Namespace(BASE + "ontologi#")
SH = Namespace("http://www.w3.org/ns/shacl#")
ONTOLOGY_IRI = BASE + "ontologi"

#: Prefixes used in every serialization, sorted by prefix for stable output.
PREFIXES: dict[str, str] = {
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "org": str(ORG),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "sam": str(SAM),
    "sh": str(SH),
    "skos": str(SKOS),
    "xsd": str(XSD),
}

_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def curie(iri: str) -> str | None:
    """``prefix:local`` for an IRI in one of :data:`PREFIXES` (longest namespace wins), else
    None so each caller picks its own fallback (the IRI itself, ``<IRI>``)."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return None


__all__ = [
    "BASE",
    "DCTERMS",
    "FOAF",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SAM",
    "SH",
    "SKOS",
    "XSD",
    "curie",
]
