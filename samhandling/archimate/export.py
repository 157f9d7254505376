"""The model as an ArchiMate exchange: records become elements and relationships through the
rows of :mod:`samhandling.archimate.mapping`, passthrough ``am:`` resources are written back as
they came, and the views are laid out by the picture's layout engine.

Records are read with the table exporter's :func:`~samhandling.export.tables.graph_to_records`,
so a property's value is exactly the text its table cell would hold (``seed:32``, ``y``): the
importer writes it back into the same column.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from samhandling.loaders import Record

from ..export.tables import graph_to_records
from ..namespaces import BASE, RDF
from ..schema import KINDS_BY_NAME, NODE_KINDS, QUALIFIERS, Column, Kind
from .exchange import Concept, Exchange, Item, LangText, Prop, PropertyDef, View
from .mapping import (
    AM,
    ELEMENT_KINDS,
    FOLDERS,
    RECORD_RELATION_BY_KIND,
    RELATION_BY_PREDICATE,
    element_row,
    identifier,
    kind_of_iri,
    relationship_identifier,
)
from .passthrough import MODEL, Passthrough

#: The property that names the IRI of what an element or relationship stands for.
IRI_PROPERTY = "IRI"


def property_id(name: str) -> str:
    return f"prop.{name}"


def ref_iri(column: Column, value: str) -> URIRef | None:
    """The IRI a ref cell's text names (``plan``, or ``segment/id`` for untyped columns)."""
    if column.targets:
        return KINDS_BY_NAME[column.targets[0]].iri(value)
    segment, _, rest = value.partition("/")
    for kind in KINDS_BY_NAME.values():
        if kind.segment == segment and rest:
            return kind.iri(rest)
    return None


def lang_cells(record: Record, kind: Kind, prefix: str) -> tuple[LangText, ...]:
    return tuple((column.lang, cell.value) for column in kind.columns
                 if column.name.startswith(prefix) and column.type == "lang"
                 for cell in record.cells.get(column.name, ()))


def _qualifier_text(column: Column, value: Node) -> str | None:
    """A statement's qualifier value as the per-value form writes it (``seed:32``, ``true``,
    ``planlagt``, a note)."""
    if column.type == "source":
        rest = str(value)[len(f"{BASE}kilde/"):] if str(value).startswith(f"{BASE}kilde/") \
            else None
        if rest is None:
            return None
        source_id, _, page = rest.partition("/side-")
        return f"{source_id}:{page}" if page else source_id
    if column.type == "choice":
        return next((name for name, iri in column.choices if iri == value), None)
    if not isinstance(value, Literal):
        return None
    if column.type == "lang":
        return str(value) if value.language == column.lang else None
    if column.type == "bool":
        return "true" if value.toPython() is True else "false"
    return str(value)


def statement_qualifiers(graph: Graph) -> dict[tuple[str, str, str], tuple[Prop, ...]]:
    """(subject, predicate, object) -> the qualifiers its statement node carries (the
    per-value form: the value's own source, interpretation flag, status, notes), as
    properties named like the qualifiers."""
    found: dict[tuple[str, str, str], tuple[Prop, ...]] = {}
    for node in graph.subjects(RDF.type, RDF.Statement):
        parts = [graph.value(node, p) for p in (RDF.subject, RDF.predicate, RDF.object)]
        if any(part is None for part in parts):
            continue
        props: list[Prop] = []
        for column in QUALIFIERS:
            texts = sorted(t for t in (_qualifier_text(column, v)
                                       for v in graph.objects(node, column.predicate)) if t)
            props.extend(Prop(property_id(column.name), ((column.lang, t),)) for t in texts)
        if props:
            found[(str(parts[0]), str(parts[1]), str(parts[2]))] = tuple(props)
    return found


@dataclass
class _Collector:
    graph: Graph
    elements: dict[str, Concept]
    relationships: dict[str, Concept]
    used_props: set[str]
    #: element identifier -> its kind name (for the organization folders)
    kinds: dict[str, str]
    #: (reused, reusing) service IRIs -> the relationship drawn for them
    serving: dict[tuple[str, str], str]
    #: triple -> the qualifiers of its statement (see :func:`statement_qualifiers`)
    qualifiers: dict[tuple[str, str, str], tuple[Prop, ...]]


def _props(record: Record, kind: Kind, skip: set[str], iri: str, used: set[str],
           qualifiers: dict[tuple[str, str, str], tuple[Prop, ...]]) -> tuple[Prop, ...]:
    """The element's properties: its IRI, then each column the name, documentation and
    relationships do not carry. A column of one value whose statement has qualifiers (the
    per-value form) gets them as ``column.qualifier`` properties (``maturity_2023.source``);
    with several values, which value a qualifier belongs to could not be told apart."""
    props = [Prop(property_id(IRI_PROPERTY), ((None, iri),))]
    for column in kind.columns:
        if column.name in skip or (column.name.startswith(("label_", "definition_")) and
                                   column.type == "lang"):
            continue
        cells = record.cells.get(column.name, ())
        for cell in cells:
            props.append(Prop(property_id(column.name), ((column.lang, cell.value),)))
        if len(cells) == 1 and not column.inverse and column.type not in ("lang", "source",
                                                                         "type"):
            target = ref_iri(column, cells[0].value) if column.type == "ref" else None
            obj = str(target) if target is not None else cells[0].value
            for qualifier in qualifiers.get((iri, str(column.predicate), obj), ()):
                name = qualifier.ref.removeprefix(property_id(""))
                props.append(Prop(property_id(f"{column.name}.{name}"), qualifier.values))
    used.update(p.ref for p in props)
    return tuple(props)


def _record_elements(c: _Collector, records: list[Record]) -> None:
    exported: dict[str, tuple[Record, Kind, str]] = {}
    for record in records:
        if record.kind not in ELEMENT_KINDS or record.id is None:
            continue
        kind = KINDS_BY_NAME[record.kind]
        node = kind.iri(record.id)
        row = element_row(set(c.graph.objects(node, RDF.type)))
        if row is None or row.kind != kind.name:
            continue
        exported[str(node)] = (record, kind, row.archimate)
    for iri, (record, kind, element_type) in exported.items():
        skip: set[str] = set()
        for column in kind.columns:
            rel = RELATION_BY_PREDICATE.get(column.predicate)
            if rel is None or column.type != "ref":
                continue
            targets = [ref_iri(column, cell.value) for cell in record.cells.get(column.name, ())]
            if not targets or any(t is None or str(t) not in exported for t in targets):
                continue
            skip.add(column.name)
            for found in targets:
                subject, obj = (str(found), iri) if column.inverse else (iri, str(found))
                source, dest = (obj, subject) if rel.reverse else (subject, obj)
                ident = relationship_identifier(subject, str(column.predicate), obj)
                attrs = (("accessType", rel.access),) if rel.access else ()
                c.used_props.add(property_id(IRI_PROPERTY))
                archimate = rel.type_between(exported[source][2], exported[dest][2])
                qualifiers = c.qualifiers.get((subject, str(column.predicate), obj), ())
                c.used_props.update(q.ref for q in qualifiers)
                c.relationships[ident] = Concept(
                    ident, archimate, source=identifier(source), target=identifier(dest),
                    attrs=attrs,
                    props=(Prop(property_id(IRI_PROPERTY), ((None, str(column.predicate)),)),
                           *qualifiers))
        ident = identifier(iri)
        c.kinds[ident] = kind.name
        c.elements[ident] = Concept(ident, element_type, lang_cells(record, kind, "label_"),
                                    lang_cells(record, kind, "definition_"),
                                    _props(record, kind, skip, iri, c.used_props,
                                           c.qualifiers))
    for record in records:
        pair = RECORD_RELATION_BY_KIND.get(record.kind)
        if pair is None or record.id is None:
            continue
        kind = KINDS_BY_NAME[record.kind]
        ends = []
        for name in (pair.source_column, pair.target_column):
            end_column = kind.column(name)
            cells = record.cells.get(name, ())
            end = ref_iri(end_column, cells[0].value) if end_column and cells else None
            ends.append(str(end) if end is not None else "")
        if not all(end in exported for end in ends):
            continue
        record_iri = str(kind.iri(record.id))
        ident = identifier(record_iri)
        c.serving[(ends[0], ends[1])] = ident
        c.relationships[ident] = Concept(
            ident, pair.archimate, lang_cells(record, kind, "label_"),
            lang_cells(record, kind, "definition_"),
            _props(record, kind, {pair.source_column, pair.target_column}, record_iri,
                   c.used_props, c.qualifiers),
            identifier(ends[0]), identifier(ends[1]))


def _kind_label(kind_name: str) -> tuple[LangText, ...]:
    """A subfolder's label: the plural of the node kind of the record kind's class."""
    cls = KINDS_BY_NAME[kind_name].cls
    node_kind = next((k for k in NODE_KINDS if cls in k.classes), None)
    if node_kind is None:
        return (("en", kind_name),)
    return (("nb", node_kind.plural_nb), ("en", node_kind.plural_en))


def _organizations(c: _Collector, passthrough: list[Concept], views: list[View],
                   kept: tuple[Item, ...]) -> list[Item]:
    """Archi's folders: per layer, a subfolder per kind; what a kept (imported) tree already
    places stays where it is."""
    placed: set[str] = set()

    def walk(items: tuple[Item, ...]) -> None:
        for item in items:
            if item.ref:
                placed.add(item.ref)
            walk(item.children)

    walk(kept)
    by_folder: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for ident, concept in c.elements.items():
        if ident not in placed:
            by_folder[_folder(concept.type)][c.kinds.get(ident, "")].append(ident)
    for concept in passthrough:
        if concept.identifier not in placed:
            by_folder[_folder(concept.type)][""].append(concept.identifier)
    for ident in c.relationships:
        if ident not in placed:
            by_folder["Relations"][""].append(ident)
    for view in views:
        if view.identifier not in placed:
            by_folder["Views"][""].append(view.identifier)
    result = list(kept)
    for folder in FOLDERS:
        groups = by_folder.get(folder)
        if not groups:
            continue
        children: list[Item] = []
        for kind_name in sorted(groups):
            refs = tuple(Item(ref=ident) for ident in sorted(groups[kind_name]))
            if kind_name:
                children.append(Item(labels=_kind_label(kind_name), children=refs))
            else:
                children.extend(refs)
        existing = next((i for i, item in enumerate(result)
                         if any(text == folder for _, text in item.labels)), None)
        if existing is not None:
            old = result[existing]
            result[existing] = Item(old.labels, old.docs, old.ref,
                                    old.children + tuple(children), old.identifier)
        else:
            result.append(Item(labels=(("en", folder),), children=tuple(children)))
    return result


def _folder(archimate: str) -> str:
    from .mapping import RELATIONSHIP_TYPES, folder_of

    return "Relations" if archimate in RELATIONSHIP_TYPES else folder_of(archimate)


def _model_names(records: list[Record]) -> tuple[LangText, ...]:
    pictures = [r for r in records if r.kind == "malbilde"]
    if len(pictures) == 1:
        names = lang_cells(pictures[0], KINDS_BY_NAME["malbilde"], "label_")
        if names:
            return names
    return (("nb", "Samhandling"), ("en", "Collaboration"))


#: Makes the generated views from the elements written and the Serving relationship of each
#: reuse (reused service IRI, reusing service IRI) -> relationship identifier.
ViewMaker = Callable[[set[str], dict[tuple[str, str], str]], list[View]]


def to_exchange(graph: Graph, make_views: ViewMaker | None = None) -> Exchange:
    """The exchange of the built ``graph``; ``make_views`` makes the generated views (see
    :mod:`samhandling.archimate.views`), written after any view an import kept."""
    records = graph_to_records(graph)
    c = _Collector(graph, {}, {}, set(), {}, {}, statement_qualifiers(graph))
    _record_elements(c, records)
    views = make_views(set(c.elements), c.serving) if make_views is not None else []
    kept = Passthrough(graph, identifier)
    c.elements = {k: kept.extra(v) for k, v in c.elements.items()}
    c.relationships = {k: kept.extra(v) for k, v in c.relationships.items()}
    foreign = [e for e in kept.concepts(AM.Element) if e.identifier not in c.elements]
    foreign_rel = [r for r in kept.concepts(AM.Relationship)
                   if r.identifier not in c.relationships]
    kept_views = kept.views()
    known = {v.identifier for v in kept_views}
    all_views = kept_views + [v for v in views if v.identifier not in known]
    propdefs = {d.identifier: d for d in kept.propdefs()}
    for ref in sorted(c.used_props):
        propdefs.setdefault(ref, PropertyDef(ref, ((None, ref.removeprefix("prop.")),)))
    names = kept.texts(MODEL, AM.name) or _model_names(records)
    elements = sorted([*c.elements.values(), *foreign], key=lambda e: e.identifier)
    relationships = sorted([*c.relationships.values(), *foreign_rel],
                           key=lambda r: r.identifier)
    organizations = _organizations(c, foreign, all_views, kept.items(MODEL))
    return Exchange(kept.one(MODEL, AM.identifier) or "samhandling", names,
                    kept.texts(MODEL, AM.documentation), kept.props(MODEL),
                    kept.one(MODEL, AM.xml) or "", elements, relationships, organizations,
                    sorted(propdefs.values(), key=lambda d: d.identifier), all_views,
                    attrs=kept.attrs(MODEL))


__all__ = ["IRI_PROPERTY", "kind_of_iri", "property_id", "ref_iri", "to_exchange"]
