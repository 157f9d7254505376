"""The model read once for the analysis: a :class:`ModelIndex` of kinds, labels, groups,
maturity and relation pairs, straight from the built model's triples.

Every graph of :mod:`.graphs` is cut from this index, so the RDF is read exactly once, in one
pass, with no SPARQL and no triple store. Nodes are IRI strings. Every node carries the same
attributes (plain ``str``/``int`` values, so GraphML and node-link JSON keep them unchanged):

``iri``        the IRI (same as the node key)
``id``         the IRI's last segment (``plan``, ``20.30``)
``kind``       ``service``, ``need``, ``scenario``, ``actor``, ``actor_group``, ``org_form``,
               ``tech_form``, ``programme``, ``step``, ``package``, ``project``, ``solution``,
               ``pain_point``, ... (see :data:`samhandling.schema.NODE_KINDS`)
``cls``        the class as a CURIE (``sam:InformationService``)
``label_nb``   ``rdfs:label`` in Norwegian (falls back to English, then to ``id``)
``label_en``   ``rdfs:label`` in English (falls back to Norwegian, then to ``id``)
``group``      main-group number of a service, ``0`` for everything else
``group_label_nb``, ``group_label_en``  the main group's name (``""`` without a group)
``maturity``   2023 maturity notation of a service (``G``/``Y``/``R``), ``""`` otherwise
``maturity_label_nb``, ``maturity_label_en``  the rating's name (Grønn/Green, ...)
``code``       need code or IT code, ``""`` where there is none
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, URIRef

from ..built import BuiltModel
from ..gcpause import no_gc_pauses
from ..namespaces import BASE, DCTERMS, PROV, RDF, RDFS, SAM, SKOS
from ..schema import NODE_KINDS
from ..terms import nt_term, split_literal

__all__ = ["KIND_OF_CLASS", "NON_RELATIONS", "ModelIndex", "index_model"]

#: Most specific class first: a node gets the kind of the first class it has. From the one
#: declaration of the kinds (:data:`samhandling.schema.NODE_KINDS`): a kind that refines
#: another (an actor group is an actor) goes before it, the rest keep their order.
KIND_OF_CLASS: tuple[tuple[URIRef, str], ...] = tuple(
    (cls, kind.name) for kind in sorted(NODE_KINDS, key=lambda kind: not kind.refines)
    for cls in kind.classes)

#: Predicates that classify, describe or cite a resource rather than relate it to the domain;
#: :func:`.graphs.relation_graph` leaves them out, so "orphan" means "nothing in the domain
#: touches it".
NON_RELATIONS: frozenset[URIRef] = frozenset({
    RDF.type, DCTERMS.source, PROV.wasDerivedFrom, DCTERMS.isPartOf, SAM.preferredFormSource,
    SKOS.inScheme,
    SKOS.topConceptOf, SKOS.broader, SAM.inMainGroup, SAM.maturity2023,
    SAM.partOfTargetPicture, SAM.reusingService, SAM.reusedService, SAM.buildsOn,
})


@dataclass
class ModelIndex:
    """What the graphs need from the RDF, read once: types, labels, groups, maturity, edges."""

    kinds: dict[str, str] = field(default_factory=dict)
    classes: dict[str, str] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    alt_labels: dict[str, list[str]] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    group_of: dict[str, int] = field(default_factory=dict)
    maturity_of: dict[str, str] = field(default_factory=dict)
    #: main-group number -> {"nb": ..., "en": ...}
    group_labels: dict[int, dict[str, str]] = field(default_factory=dict)
    #: maturity notation -> {"nb": ..., "en": ...}
    maturity_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    #: predicate IRI -> sorted (subject, object) IRI pairs, for every relation predicate
    edges: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    declared_service_count: int | None = None
    _attributes: dict[str, dict[str, str | int]] = field(default_factory=dict, repr=False)

    def pairs(self, predicate: str) -> list[tuple[str, str]]:
        """The sorted (subject, object) pairs of ``predicate``."""
        return self.edges.get(str(predicate), [])

    def of_kind(self, *kinds: str) -> list[str]:
        """Every node of the given kinds, sorted by IRI."""
        wanted = set(kinds)
        return sorted(n for n, k in self.kinds.items() if k in wanted)

    def attributes(self, node: str) -> dict[str, str | int]:
        """The node attributes every graph in this module uses (see the module docstring);
        computed once per node, a fresh copy each call."""
        return dict(self._shared(node))

    def label(self, node: str, lang: str) -> str:
        """The node's ``label_nb`` or ``label_en`` attribute (no copy of the attributes: a
        report sorts tens of thousands of nodes by label)."""
        return str(self._shared(node)[f"label_{lang}"])

    def _shared(self, node: str) -> dict[str, str | int]:
        """:meth:`attributes` without the copy, for callers that copy anyway (NetworkX's
        ``add_nodes_from`` does)."""
        cached = self._attributes.get(node)
        if cached is None:
            cached = self._attributes[node] = self._compute_attributes(node)
        return cached

    def _compute_attributes(self, node: str) -> dict[str, str | int]:
        labels = self.labels.get(node, {})
        ident = _local_id(node)
        group = self.group_of.get(node, 0)
        group_labels = self.group_labels.get(group, {})
        maturity = self.maturity_of.get(node, "")
        maturity_labels = self.maturity_labels.get(maturity, {})
        return {
            "iri": node,
            "id": ident,
            "kind": self.kinds.get(node, "other"),
            "cls": self.classes.get(node, ""),
            "label_nb": labels.get("nb") or labels.get("en") or ident,
            "label_en": labels.get("en") or labels.get("nb") or ident,
            "group": group,
            "group_label_nb": group_labels.get("nb", ""),
            "group_label_en": group_labels.get("en", ""),
            "maturity": maturity,
            "maturity_label_nb": maturity_labels.get("nb", ""),
            "maturity_label_en": maturity_labels.get("en", ""),
            "code": self.codes.get(node, ""),
        }


def _local_id(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _curie(cls: URIRef) -> str:
    text = str(cls)
    if text.startswith(str(SAM)):
        return "sam:" + text[len(str(SAM)):]
    return text


def _literal(term: str) -> tuple[str, str | None]:
    """(lexical form, language tag or None) of an N-Triples literal; the datatype is dropped
    (the index reads numbers from the lexical form)."""
    text, suffix = split_literal(term)
    return text, suffix[1:] if suffix[:1] == "@" else None


def _resource(term: str) -> str:
    """A resource's node key: an IRI unwrapped, a blank node as written (``_:b0``)."""
    return term[1:-1] if term[0] == "<" else term


#: predicate IRI -> (subject, object) pairs in triple order, both as N-Triples terms
#: (``<iri>``, ``_:b``, ``"text"@nb``).
_ByPredicate = dict[str, list[tuple[str, str]]]


def _group_by_predicate(triples: Iterable[tuple[str, str, str]]) -> _ByPredicate:
    """Group N-Triples terms by predicate.

    One append a triple and nothing else: unwrapping and filtering happen later, a whole
    predicate at a time in comprehensions, and only for the predicates the index reads. That
    is what makes a million triples take a fraction of a second rather than tens of seconds."""
    grouped: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s, p, o in triples:
        grouped[p].append((s, o))
    return {p[1:-1]: pairs for p, pairs in grouped.items()}


def _by_predicate(source: Graph | BuiltModel) -> _ByPredicate:
    """Every triple of a model grouped by predicate: a built model's own N-Triples terms (no
    rdflib graph is made, which at a million triples saves half a minute), or an rdflib
    graph's triples."""
    if isinstance(source, Graph):
        return _group_by_predicate((nt_term(s), nt_term(p), nt_term(o)) for s, p, o in source)
    return _group_by_predicate(source.nt_triples())


def _resources(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs whose object is a resource, as node keys (see :func:`_resource`), in order."""
    return [(s[1:-1] if s[0] == "<" else s, o[1:-1] if o[0] == "<" else o)
            for s, o in pairs if o[0] != '"']


def _literals(pairs: list[tuple[str, str]]) -> list[tuple[str, str, str | None]]:
    """(subject, lexical form, language) of the pairs whose object is a literal, in order."""
    return [(_resource(s), *_literal(o)) for s, o in pairs if o[0] == '"']


def index_model(source: Graph | BuiltModel) -> ModelIndex:
    """Read what the analysis graphs need from the model, in one pass over its triples.

    Parameters
    ----------
    source : rdflib.Graph or BuiltModel
        The model graph, or the model as :func:`samhandling.build.load_model` returns it.

    Returns
    -------
    ModelIndex
        Kinds, labels, codes, groups and maturity of every typed resource under the
        project's base IRI, and the (subject, object) pairs of every predicate whose object
        is an IRI (except ``rdf:type`` and the other :data:`NON_RELATIONS`), sorted.

    Notes
    -----
    O(T) for T triples: one pass groups them by predicate, then each predicate is read as a
    whole; a few seconds for a million triples, with the cyclic garbage collector held (it
    would otherwise walk the million live tuples again and again, doubling the time). No
    SPARQL, no triple store and no rdflib graph when the model was built from sources
    (loading the million triples into pyoxigraph alone takes longer than this whole index).
    """
    with no_gc_pauses():
        return _index(_by_predicate(source))


def _index(grouped: _ByPredicate) -> ModelIndex:
    ix = ModelIndex()
    empty: list[tuple[str, str]] = []

    def literals(predicate: URIRef) -> list[tuple[str, str, str | None]]:
        return _literals(grouped.get(str(predicate), empty))

    def resources(predicate: URIRef) -> list[tuple[str, str]]:
        return _resources(grouped.get(str(predicate), empty))

    rank: dict[str, int] = {}
    kind_rank = {str(cls): (number, kind, _curie(cls))
                 for number, (cls, kind) in enumerate(KIND_OF_CLASS)}
    for s, o in resources(RDF.type):
        found = kind_rank.get(o)
        if found is not None and s.startswith(BASE) and found[0] < rank.get(s, 1 << 30):
            rank[s] = found[0]
            ix.kinds[s] = found[1]
            ix.classes[s] = found[2]
    labels: dict[str, dict[str, str]] = {}
    for s, lexical, lang in literals(RDFS.label):
        if lang in ("nb", "en"):
            labels.setdefault(s, {}).setdefault(lang, lexical)
    alt_labels: dict[str, list[str]] = {}
    for s, lexical, _lang in literals(SKOS.altLabel):
        alt_labels.setdefault(s, []).append(lexical)
    for predicate in (SKOS.notation, SAM.itCode):  # a resource with both: the notation
        for s, lexical, _lang in literals(predicate):
            ix.codes.setdefault(s, lexical)
    group_numbers = {s: int(lexical) for s, lexical, _lang in literals(SAM.groupNumber)
                     if lexical.strip().lstrip("-").isdigit()}
    counts = [int(lexical) for _s, lexical, _lang in literals(SAM.declaredServiceCount)
              if lexical.strip().isdigit()]
    skip = {str(p) for p in NON_RELATIONS} - {str(SAM.reusingService), str(SAM.reusedService)}
    skip |= {str(SAM.inMainGroup), str(SAM.maturity2023)}
    ix.labels = {s: v for s, v in labels.items() if s in ix.kinds}
    ix.alt_labels = {s: v for s, v in sorted(alt_labels.items()) if s in ix.kinds}
    for group, number in group_numbers.items():
        names = labels.get(group, {})
        ix.group_labels[number] = {
            "nb": names.get("nb") or names.get("en") or f"Gruppe {number}",
            "en": names.get("en") or names.get("nb") or f"Group {number}",
        }
    for service, group in resources(SAM.inMainGroup):
        if group in group_numbers:
            ix.group_of[service] = group_numbers[group]
    for service, rating in resources(SAM.maturity2023):
        text = ix.codes.get(rating) or _local_id(rating).upper()
        ix.maturity_of[service] = text
        names = labels.get(rating, {})
        ix.maturity_labels[text] = {"nb": names.get("nb", text), "en": names.get("en", text)}
    ix.declared_service_count = max(counts) if counts else None
    # no set() needed: a predicate's (subject, object) pairs are distinct, as its triples are;
    # and kept in model order they are nearly sorted already, which timsort finishes fast
    edges = ((p, _resources(pairs)) for p, pairs in grouped.items() if p not in skip)
    ix.edges = {p: sorted(pairs) for p, pairs in sorted(edges) if pairs}
    return ix
