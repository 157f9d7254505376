"""An exchange file back to model sources: records for what maps back, ``am:`` triples for the rest.

An element maps back to a record when its ``IRI`` property names a record of a kind the
mapping exports, as the element type that kind is exported as (so a file written by
``samhandling export archimate`` and edited in Archi comes back as records). A relationship
maps back when both ends did and its ``IRI`` property names a mapped predicate (or a reuse
record), or, drawn in Archi without one, when exactly one relation row fits its type and ends.
Everything else (foreign types, elements without our IRI, views, organizations, property
definitions) is passthrough (:mod:`.passthrough`).

Property values go back into the column of their name, as table text. A ref value whose
record is not in the file (a maturity rating, a storage alternative) becomes a triple in the
passthrough file, since the strict build refuses a dangling ref; the sources records cite
come back as stub records (``kilder.yaml``: id, tag and the id as label), since the format
carries no documents. Qualifiers (a relationship's ``source``, ``status`` …, an element's
``column.qualifier`` properties) come back in the per-value form; what a mapped element or
relationship carries beyond its columns is kept beside it (see :func:`.passthrough.to_graph`).
An element of ours that lacks what its record requires is one problem at its line.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from samhandling.loaders import Cell, Record

from ..build import TRUE_WORDS, source_page_iri, statement_iri
from ..errors import Problem
from ..export.rdf import sorted_triples
from ..export.tables import per_value_form
from ..namespaces import PREFIXES, RDF
from ..schema import KINDS_BY_NAME, QUALIFIERS_BY_NAME, Column, Kind
from ..terms import nt_term
from .exchange import Concept, Exchange, LangText, Prop
from .export import IRI_PROPERTY, ref_iri
from .mapping import (
    AM,
    ELEMENTS,
    RECORD_RELATION_BY_KIND,
    RELATION_BY_PREDICATE,
    RELATIONS,
    kind_of_iri,
)
from .passthrough import resource, to_graph

PASSTHROUGH_FILE = "archimate.ttl"
_TYPES_OF_KIND: dict[str, set[str]] = defaultdict(set)
for _row in ELEMENTS:
    _TYPES_OF_KIND[_row.kind].add(_row.archimate)


@dataclass
class Imported:
    """What an import makes: records of our kinds and the passthrough triples."""

    records: list[Record] = field(default_factory=list)
    passthrough: Graph = field(default_factory=Graph)
    #: records that cannot be built (a required column no relationship or property gave)
    problems: list[Problem] = field(default_factory=list)

    @property
    def kinds(self) -> dict[str, list[Record]]:
        by_kind: dict[str, list[Record]] = defaultdict(list)
        for record in self.records:
            by_kind[record.kind].append(record)
        return by_kind


class _Import:
    """One import: elements and relationships of ``exchange`` sorted into records and
    passthrough, collecting what cannot be built."""

    def __init__(self, exchange: Exchange, display: str) -> None:
        self.exchange = exchange
        self.display = display
        self.prop_names = {d.identifier: (d.names[0][1] if d.names else d.identifier)
                           for d in exchange.propdefs}
        #: element identifier -> (record, kind)
        self.records: dict[str, tuple[Record, Kind]] = {}
        self.extra = Graph()
        self.sources: set[str] = set()
        self.deferred: list[tuple[Record, Kind, Column, str]] = []
        #: what mapped elements and relationships carry beyond their columns
        self.extras: list[Concept] = []
        self.types = {e.identifier: e.type for e in exchange.elements}
        #: (record, column) -> qualifier -> cells, from ``column.qualifier`` properties
        self.value_qualifiers: dict[tuple[int, str], dict[str, list[Cell]]] = {}

    def iri_prop(self, concept: Concept) -> str | None:
        for prop in concept.props:
            if self.prop_names.get(prop.ref) == IRI_PROPERTY and prop.values:
                return prop.values[0][1]
        return None

    def cell(self, record: Record, column: str, value: str, line: int | None) -> None:
        record.cells.setdefault(column, []).append(Cell(value, line))

    def fill(self, record: Record, kind: Kind, concept: Concept, props: tuple[Prop, ...],
             identifier: str) -> None:
        """Put names, documentation and properties into the record's columns; what has no
        column (a name in a third language, a property added in Archi) is kept as an extra
        of ``identifier`` so the export writes it back."""
        left: dict[str, list[LangText]] = {"label": [], "definition": []}
        for prefix, values in (("label", concept.names), ("definition", concept.docs)):
            for lang, text in values:
                column = kind.column(f"{prefix}_{lang}")
                if column is not None and column.name not in record.cells:
                    self.cell(record, column.name, text, concept.line)
                else:
                    left[prefix].append((lang, text))
        other: list[Prop] = []
        for prop in props:
            name = self.prop_names.get(prop.ref, "")
            column = kind.column(name)
            if name == IRI_PROPERTY:
                continue
            base, _, qualifier = name.partition(".")
            if kind.column(base) is not None and qualifier in QUALIFIERS_BY_NAME:
                found = self.value_qualifiers.setdefault((id(record), base), {})
                for _lang, text in prop.values:
                    found.setdefault(qualifier, []).append(Cell(text, concept.line))
                    if QUALIFIERS_BY_NAME[qualifier].type == "source":
                        self.sources.add(text.partition(":")[0].strip())
                continue
            if column is None or name == "id":
                other.append(prop)
                continue
            for _lang, text in prop.values:
                if column.type == "ref":
                    self.deferred.append((record, kind, column, text))
                    continue
                if column.type == "source":
                    self.sources.add(text.partition(":")[0].strip())
                self.cell(record, column.name, text, concept.line)
        self.keep_extra(identifier, tuple(left["label"]), tuple(left["definition"]),
                        tuple(other))
        for column in kind.columns:  # values already in their column: qualify them there
            pending = self.value_qualifiers.get((id(record), column.name))
            if pending and len(record.cells.get(column.name, ())) == 1:
                record.qualifiers = record.qualifiers or {}
                record.qualifiers[column.name] = {0: pending}

    def keep_extra(self, identifier: str, names: tuple[LangText, ...],
                   docs: tuple[LangText, ...], props: tuple[Prop, ...]) -> None:
        if names or docs or props:
            self.extras.append(Concept(identifier, "", names, docs, props))

    def element(self, concept: Concept) -> bool:
        iri = self.iri_prop(concept)
        named = kind_of_iri(iri) if iri else None
        if named is None or concept.type not in _TYPES_OF_KIND.get(named[0].name, set()):
            return False
        kind, record_id = named
        record = Record(kind=kind.name, file=self.display, line=concept.line)
        record.cells["id"] = [Cell(record_id, concept.line)]
        self.fill(record, kind, concept, concept.props, concept.identifier)
        self.records[concept.identifier] = (record, kind)
        return True

    def _ref_text(self, column: Column, kind: Kind, record: Record) -> str:
        return record.id or "" if column.targets else f"{kind.segment}/{record.id}"

    def relationship(self, concept: Concept) -> bool:
        ends = [self.records.get(concept.source or ""), self.records.get(concept.target or "")]
        iri = self.iri_prop(concept)
        named = kind_of_iri(iri) if iri else None
        if named is not None and named[0].name in RECORD_RELATION_BY_KIND:
            pair = RECORD_RELATION_BY_KIND[named[0].name]
            if ends[0] is None or ends[1] is None or concept.type != pair.archimate:
                return False
            kind, record_id = named
            record = Record(kind=kind.name, file=self.display, line=concept.line)
            record.cells["id"] = [Cell(record_id, concept.line)]
            self.cell(record, pair.source_column, ends[0][0].id or "", concept.line)
            self.cell(record, pair.target_column, ends[1][0].id or "", concept.line)
            self.fill(record, kind, concept, concept.props, concept.identifier)
            self.records[concept.identifier] = (record, kind)
            return True
        if ends[0] is None or ends[1] is None:
            return False
        rows = [RELATION_BY_PREDICATE[URIRef(iri)]] if iri and URIRef(iri) in \
            RELATION_BY_PREDICATE else list(RELATIONS)
        fits = []
        between = (self.types.get(concept.source or "", ""),
                   self.types.get(concept.target or "", ""))
        for row in rows:
            if row.type_between(*between) != concept.type:
                continue
            subject, obj = (ends[1], ends[0]) if row.reverse else (ends[0], ends[1])
            for column in subject[1].columns:
                if column.predicate == row.predicate and not column.inverse:
                    fits.append((subject, column, obj))
            for column in obj[1].columns:
                if column.predicate == row.predicate and column.inverse:
                    fits.append((obj, column, subject))
        fits = [f for f in fits if not f[1].targets or f[2][1].name in f[1].targets]
        if len(fits) != 1:
            return False
        (owner, _owner_kind), column, (other, other_kind) = fits[0]
        self.cell(owner, column.name, self._ref_text(column, other_kind, other), concept.line)
        qualifiers: dict[str, list[Cell]] = {}
        rest = []
        for prop in concept.props:
            name = self.prop_names.get(prop.ref, "")
            if name in QUALIFIERS_BY_NAME:
                for _lang, text in prop.values:
                    qualifiers.setdefault(name, []).append(Cell(text, concept.line))
                    if QUALIFIERS_BY_NAME[name].type == "source":
                        self.sources.add(text.partition(":")[0].strip())
            elif name != IRI_PROPERTY:
                rest.append(prop)
        if qualifiers:  # the value's own source, status ...: the per-value form
            position = len(owner.cells[column.name]) - 1
            owner.qualifiers = owner.qualifiers or {}
            owner.qualifiers.setdefault(column.name, {})[position] = qualifiers
        self.keep_extra(concept.identifier, concept.names, concept.docs, tuple(rest))
        return True

    def resolve_deferred(self) -> None:
        present = {(kind.name, record.id) for record, kind in self.records.values()}
        for record, kind, column, text in self.deferred:
            target = ref_iri(column, text)
            target_kind = kind_of_iri(str(target)) if target is not None else None
            found = self.value_qualifiers.get((id(record), column.name))
            if target_kind is not None and (target_kind[0].name, target_kind[1]) in present:
                self.cell(record, column.name, text, record.line)
                if found:
                    record.qualifiers = record.qualifiers or {}
                    record.qualifiers.setdefault(column.name, {})[
                        len(record.cells[column.name]) - 1] = found
            elif target is not None:
                subject = kind.iri(record.id or "")
                triple = (target, column.predicate, subject) if column.inverse else \
                    (subject, column.predicate, target)
                self.extra.add(triple)
                if found:
                    self.extra += statement(triple, found)

    def run(self) -> Imported:
        foreign = [e for e in self.exchange.elements if not self.element(e)]
        kept = [r for r in self.exchange.relationships if not self.relationship(r)]
        self.resolve_deferred()
        ours = {f"prop.{c.name}" for k in KINDS_BY_NAME.values() for c in k.columns}
        ours.add(f"prop.{IRI_PROPERTY}")
        propdefs = [d for d in self.exchange.propdefs if d.identifier not in ours]

        def iri_of(ident: str) -> URIRef:
            found = self.records.get(ident)
            return found[1].iri(found[0].id or "") if found else resource(ident)

        problems = [problem for ident, (record, kind) in sorted(self.records.items())
                    for problem in self.missing(ident, record, kind)]
        graph = to_graph(self.exchange, foreign, kept, propdefs, iri_of, self.extras)
        graph += self.extra
        records = [r for r, _ in self.records.values()]
        present = {r.id for r in records if r.kind == "kilder"}
        for source in sorted(self.sources - present):
            stub = Record(kind="kilder", file=self.display, line=None)
            for name, value in (("id", source), ("tag", source.upper()), ("label_nb", source),
                                ("label_en", source)):
                stub.cells[name] = [Cell(value, None)]
            records.append(stub)
        return Imported(records, graph, problems)

    def missing(self, ident: str, record: Record, kind: Kind) -> list[Problem]:
        """A problem for each required column the element's relationships and properties
        did not give (the strict build would refuse the record)."""
        found = []
        for column in kind.columns:
            if not column.required or record.cells.get(column.name) or column.type == "type":
                continue
            row = RELATION_BY_PREDICATE.get(column.predicate)
            target = f" to a {', '.join(column.targets)} element" if column.targets else ""
            article = "an" if row is not None and row.archimate[0] in "AEIOU" else "a"
            how = (f"{article} {row.archimate} relationship{target}" if row is not None
                   else f"the property '{column.name}'")
            found.append(Problem(self.display, record.line,
                                 f"element {ident} ({kind.name} '{record.id}') has no "
                                 f"{column.name}: give it {how}"))
        return found


def statement(triple: tuple[URIRef, URIRef, URIRef],
              qualifiers: dict[str, list[Cell]]) -> Graph:
    """The statement node the build would make for a value in the per-value form, for a value
    that goes to the passthrough file (a ref to a record the exchange does not carry)."""
    node = URIRef(statement_iri(tuple(nt_term(t) for t in triple)))  # type: ignore[arg-type]
    graph = Graph()
    for p, o in ((RDF.type, RDF.Statement), (RDF.subject, triple[0]),
                 (RDF.predicate, triple[1]), (RDF.object, triple[2])):
        graph.add((node, p, o))
    for name, cells in qualifiers.items():
        column = QUALIFIERS_BY_NAME[name]
        for cell in cells:
            value = _qualifier_term(column, cell.value)
            if value is not None:
                graph.add((node, column.predicate, value))
    return graph


def _qualifier_term(column: Column, text: str) -> Node | None:
    if column.type == "source":
        source_id, _, page = text.partition(":")
        source = str(KINDS_BY_NAME["kilder"].iri(source_id.strip()))
        return URIRef(source_page_iri(source, page.strip()) if page.strip() else source)
    if column.type == "choice":
        return next((iri for name, iri in column.choices if name == text), None)
    if column.type == "bool":
        return Literal(text.strip().lower() in TRUE_WORDS)
    if column.type == "lang":
        return Literal(text, lang=column.lang)
    return Literal(text)


def import_exchange(exchange: Exchange, display: str) -> Imported:
    """Records and passthrough triples for ``exchange`` (read from ``display``)."""
    return _Import(exchange, display).run()


def yaml_text(kind: Kind, records: list[Record]) -> str:
    """The records of one kind as the YAML the loader reads, sorted by id; a value with
    qualifiers in the per-value form (``{id: x, source: vg}``)."""
    items = []
    for record in sorted(records, key=lambda r: r.id or ""):
        item: dict[str, object] = {}
        for name in kind.column_names:
            cells = record.cells.get(name)
            if not cells:
                continue
            column = kind.column(name)
            first = {c.value: i for i, c in reversed(list(enumerate(cells)))}
            by_index = (record.qualifiers or {}).get(name, {})
            values = [per_value_form(v, by_index.get(first[v]), column) for v in sorted(first)]
            item[name] = values if column is not None and column.multi else values[0]
        items.append(item)
    return f"# {kind.name}: imported from ArchiMate\n" + yaml.safe_dump(
        items, allow_unicode=True, sort_keys=False, width=100)


def turtle(graph: Graph) -> bytes:
    prefixes = {**PREFIXES, "am": str(AM)}
    return ox.serialize(sorted_triples(graph), format=ox.RdfFormat.TURTLE,
                        prefixes=prefixes) or b""


def write_sources(imported: Imported, folder: Path) -> list[Path]:
    """Write the imported sources into ``folder`` (which exists and is empty)."""
    written = []
    for kind_name, records in sorted(imported.kinds.items()):
        path = folder / f"{kind_name}.yaml"
        path.write_text(yaml_text(KINDS_BY_NAME[kind_name], records), encoding="utf-8")
        written.append(path)
    if len(imported.passthrough):
        path = folder / PASSTHROUGH_FILE
        path.write_bytes(turtle(imported.passthrough))
        written.append(path)
    return written


__all__ = ["PASSTHROUGH_FILE", "Imported", "import_exchange", "write_sources", "yaml_text"]
