"""The model read once into what the pages show: one :class:`Entity` per resource that gets a
page, with its facts in both directions and where each fact comes from.

Which resources get a page, and under which heading, comes from the one declaration of node
kinds (:data:`samhandling.schema.NODE_KINDS`), not from code per kind: a kind added to the
schema gets pages without a change here. Provenance is read three ways, whichever the model
has: ``dcterms:source`` on the resource (source pages, so the page number shows),
``sam:isInterpretation`` (marked on the page), and statements described as ``rdf:Statement``
with their own source (shown beside the fact they describe). Every fact also carries the
``file:line`` it was read from.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis.index import KIND_OF_CLASS
from ..built import BuiltModel, SourceLocation
from ..namespaces import BASE, DCTERMS, PROV, RDF, RDFS, SAM, SKOS
from ..schema import NODE_KINDS
from ..terms import split_literal

#: A resource's path under BASE that can be a file path as it is (ids are checked by the
#: build: lower-case letters, digits, dots, dashes, underscores).
_SAFE_PATH = re.compile(r"[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)+")

_TYPE = f"<{RDF.type}>"
_LABEL = f"<{RDFS.label}>"
_ALT = f"<{SKOS.altLabel}>"
_DEFINITION = f"<{SKOS.definition}>"
_DESCRIPTION = f"<{DCTERMS.description}>"
_NOTE = f"<{SKOS.note}>"
_NOTATION = f"<{SKOS.notation}>"
_IT_CODE = f"<{SAM.itCode}>"
_INTERPRETATION = f"<{SAM.isInterpretation}>"
_SOURCE = f"<{DCTERMS.source}>"
_DERIVED = f"<{PROV.wasDerivedFrom}>"
_STATEMENT = f"<{RDF.Statement}>"
_R_SUBJECT, _R_PREDICATE, _R_OBJECT = (f"<{RDF.subject}>", f"<{RDF.predicate}>",
                                       f"<{RDF.object}>")
#: What a statement description says that :class:`Provenance` has a field for.
_STATEMENT_OWN = frozenset({_TYPE, _LABEL, _R_SUBJECT, _R_PREDICATE, _R_OBJECT, _SOURCE, _DERIVED,
                            _NOTE, _INTERPRETATION})
#: Shown in the page's head rather than in the table of facts.
HEAD_PREDICATES = frozenset({_TYPE, _LABEL, _ALT, _DEFINITION, _DESCRIPTION, _NOTE,
                             _INTERPRETATION, _SOURCE, _DERIVED})
#: Head predicates whose other end still lists the fact (a source page: what cites it).
CITING = frozenset({_SOURCE, _DERIVED})
_TRUE = {"true", "1"}


@dataclass(frozen=True, order=True)
class Value:
    """One object of a fact: a resource (``iri``) or a literal (``text``, ``lang``)."""

    iri: str = ""
    text: str = ""
    lang: str = ""


@dataclass(frozen=True)
class Provenance:
    """What a statement's own description (``rdf:Statement``) says about where it is from."""

    sources: tuple[str, ...] = ()
    interpretation: bool = False
    notes: tuple[tuple[str, str], ...] = ()
    #: anything else the description says (a status ...), as (predicate, value) pairs
    extra: tuple[tuple[str, Value], ...] = ()


@dataclass(frozen=True)
class Fact:
    """One triple seen from one end: the predicate, the other end, and its provenance."""

    predicate: str
    other: Value
    where: str
    provenance: Provenance | None = None


@dataclass
class Entity:
    """A resource that gets a page."""

    iri: str
    path: str
    kind: str
    labels: dict[str, str] = field(default_factory=dict)
    alt_labels: list[str] = field(default_factory=list)
    code: str = ""
    definitions: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    interpretation: bool = False
    sources: list[str] = field(default_factory=list)
    derived_from: list[str] = field(default_factory=list)
    where: str = ""
    facts: list[Fact] = field(default_factory=list)
    incoming: list[Fact] = field(default_factory=list)

    def label(self, lang: str) -> str:
        other = "en" if lang == "nb" else "nb"
        return self.labels.get(lang) or self.labels.get(other) or self.path.rsplit("/", 1)[-1]


@dataclass
class SiteData:
    """Every page-worthy resource by IRI, and labels of everything else the pages name."""

    entities: dict[str, Entity]
    #: kind name -> IRIs of that kind, sorted by IRI
    by_kind: dict[str, list[str]]
    #: labels of resources without a page (ontology terms come from the ontology instead)
    other_labels: dict[str, dict[str, str]]

    def label(self, iri: str, lang: str) -> str:
        entity = self.entities.get(iri)
        if entity is not None:
            return entity.label(lang)
        labels = self.other_labels.get(iri, {})
        return labels.get(lang) or labels.get("en") or labels.get("nb") or iri


def page_path(iri: str) -> str | None:
    """The page of a resource, relative to a language folder, or None if it gets none."""
    if not iri.startswith(BASE):
        return None
    local = iri[len(BASE):]
    return local + ".html" if _SAFE_PATH.fullmatch(local) else None


def _kinds(types: dict[str, list[str]]) -> dict[str, str]:
    rank = {f"<{cls}>": (number, kind) for number, (cls, kind) in enumerate(KIND_OF_CLASS)}
    found: dict[str, str] = {}
    for subject, classes in types.items():
        ranked = sorted(rank[c] for c in classes if c in rank)
        if ranked and subject[0] == "<" and page_path(subject[1:-1]) is not None:
            found[subject] = ranked[0][1]
    return found


def _value(term: str) -> Value:
    if term[0] == '"':
        text, suffix = split_literal(term)
        return Value(text=text, lang=suffix[1:] if suffix.startswith("@") else "")
    return Value(iri=term[1:-1] if term[0] == "<" else term)


def _statements(by_subject: dict[str, list[tuple[str, str]]],
                types: dict[str, list[str]]) -> dict[tuple[str, str, str], Provenance]:
    """Provenance of each reified statement, keyed by the statement's three terms."""
    found: dict[tuple[str, str, str], Provenance] = {}
    for node, classes in types.items():
        if _STATEMENT not in classes:
            continue
        props: dict[str, list[str]] = defaultdict(list)
        for p, o in by_subject.get(node, ()):
            props[p].append(o)
        parts = [props.get(k, [None])[0] for k in (_R_SUBJECT, _R_PREDICATE, _R_OBJECT)]
        if any(part is None for part in parts):
            continue
        sources = props.get(_SOURCE, []) + props.get(_DERIVED, [])
        notes = tuple(sorted((_value(o).lang, _value(o).text) for o in props.get(_NOTE, [])))
        extra = tuple(sorted((p, _value(o)) for p, values in props.items()
                             if p not in _STATEMENT_OWN for o in values))
        found[(parts[0], parts[1], parts[2])] = Provenance(  # type: ignore[index]
            tuple(sorted(o[1:-1] for o in sources if o[0] == "<")),
            any(_value(o).text in _TRUE for o in props.get(_INTERPRETATION, [])), notes, extra)
    return found


class Places:
    """``file:line`` of a fact as the site shows it: relative to the model folder's parent
    (``model/tjenester.yaml:25``), so the site's bytes do not depend on where the model was
    read from (a checkout, a temp folder, an absolute path)."""

    def __init__(self, model_dir: Path | str | None = None) -> None:
        self.prefix = f"{Path(model_dir)}/" if model_dir is not None else ""
        self.name = f"{Path(model_dir).resolve().name}/" if model_dir is not None else ""

    def show(self, loc: SourceLocation | None) -> str:
        if loc is None or loc.file == "(derived)":
            return ""
        text = str(loc)
        if self.prefix and text.startswith(self.prefix):
            return self.name + text[len(self.prefix):]
        return text


def read_site_data(model: BuiltModel, places: Places | None = None) -> SiteData:
    """Read the model's triples once into entities with facts in both directions."""
    places = places or Places()
    by_subject: dict[str, list[tuple[str, str]]] = defaultdict(list)
    types: dict[str, list[str]] = defaultdict(list)
    triples = list(model.nt_triples())
    for s, p, o in triples:
        by_subject[s].append((p, o))
        if p == _TYPE:
            types[s].append(o)
    kinds = _kinds(types)
    reified = _statements(by_subject, types)
    statements = model.statements
    term = model.term

    def where(s: str, p: str, o: str) -> str:
        return places.show(statements.get((term(s), term(p), term(o))))

    entities: dict[str, Entity] = {}
    for nt, kind in sorted(kinds.items()):
        iri = nt[1:-1]
        loc = model.subjects.get(iri)
        entities[iri] = Entity(iri, str(page_path(iri)), kind,
                               where=places.show(loc))
    other_labels: dict[str, dict[str, str]] = defaultdict(dict)
    for s, pairs in sorted(by_subject.items()):
        entity = entities.get(s[1:-1]) if s[0] == "<" else None
        for p, o in sorted(pairs):
            if entity is None:
                if p == _LABEL and o[0] == '"':
                    value = _value(o)
                    other_labels[s.strip("<>")].setdefault(value.lang or "nb", value.text)
                continue
            _read(entity, p, o)
            target = entities.get(o[1:-1]) if o[0] == "<" else None
            if p in HEAD_PREDICATES:
                if target is not None and p in CITING:  # a source lists what cites it
                    target.incoming.append(Fact(p, Value(iri=entity.iri), where(s, p, o)))
                continue
            fact = Fact(p, _value(o), where(s, p, o), reified.get((s, p, o)))
            entity.facts.append(fact)
            if target is not None:
                target.incoming.append(Fact(p, Value(iri=entity.iri), fact.where,
                                            fact.provenance))
    by_kind: dict[str, list[str]] = {k.name: [] for k in NODE_KINDS}
    for iri, entity in entities.items():
        by_kind[entity.kind].append(iri)
        entity.sources.sort()
        entity.derived_from.sort()
        entity.incoming.sort(key=lambda f: (f.predicate, f.other.iri))
    return SiteData(entities, {k: v for k, v in by_kind.items() if v}, dict(other_labels))


def _read(entity: Entity, p: str, o: str) -> None:
    """Put a head predicate's value in its place on the entity."""
    value = _value(o)
    if p == _LABEL and value.lang in ("nb", "en"):
        entity.labels.setdefault(value.lang, value.text)
    elif p == _ALT:
        entity.alt_labels.append(value.text)
    elif p in (_DEFINITION, _DESCRIPTION) and value.lang in ("nb", "en"):
        entity.definitions.setdefault(value.lang, value.text)
    elif p == _NOTE:
        entity.notes.setdefault(value.lang or "nb", value.text)
    elif p in (_NOTATION, _IT_CODE) and not entity.code:
        entity.code = value.text
    elif p == _INTERPRETATION:
        entity.interpretation = entity.interpretation or value.text in _TRUE
    elif p == _SOURCE and value.iri:
        entity.sources.append(value.iri)
    elif p == _DERIVED and value.iri:
        entity.derived_from.append(value.iri)
