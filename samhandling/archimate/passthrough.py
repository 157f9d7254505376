"""What an exchange file holds beyond our kinds, as RDF in the ArchiMate vocabulary (``am:``).

An import keeps foreign elements and relationships (types we do not map, or our types without
the IRI property that names a record), their properties and property definitions, the
organization tree, and the views (nodes and connections with their bounds, references and
order; a node's label and style as the XML they came as) in one Turtle file beside the
records. The build loads it like any passthrough file, and the exporter writes it back, so
import → build → export loses nothing the format carries.

Every resource gets an IRI under :data:`~samhandling.archimate.mapping.AM_RESOURCE` from its
identifier (items of the organization tree, which have none, from their place in it), so no
blank node is made and a second import gives the same triples.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ..namespaces import RDF, XSD
from .exchange import (
    Concept,
    Connection,
    Exchange,
    Item,
    LangText,
    Prop,
    PropertyDef,
    View,
    ViewNode,
)
from .mapping import AM, AM_RESOURCE

MODEL = URIRef(AM_RESOURCE + "model")


def resource(identifier: str) -> URIRef:
    return URIRef(AM_RESOURCE + identifier)


class _Writer:
    """Exchange parts -> triples; ``iri_of`` gives the IRI an identifier stands for (a record's
    IRI for the elements that became records)."""

    def __init__(self, iri_of: Callable[[str], URIRef]) -> None:
        self.graph = Graph()
        self.iri_of = iri_of

    def add(self, s: Node, p: URIRef, o: Node) -> None:
        self.graph.add((s, p, o))

    def texts(self, s: URIRef, p: URIRef, values: Iterable[LangText]) -> None:
        for lang, text in values:
            self.add(s, p, Literal(text, lang=lang or None))

    def order(self, s: URIRef, n: int) -> None:
        self.add(s, AM.order, Literal(n, datatype=XSD.integer))

    def props(self, owner: URIRef, props: tuple[Prop, ...], identifier: str) -> None:
        for n, prop in enumerate(props):
            node = resource(f"property/{identifier}/{n}")
            self.add(owner, AM.property, node)
            self.add(node, RDF.type, AM.Property)
            self.add(node, AM.propertyDefinition, resource(prop.ref))
            self.order(node, n)
            self.texts(node, AM.value, prop.values)

    def attrs(self, s: URIRef, attrs: tuple[tuple[str, str], ...]) -> None:
        for name, value in attrs:
            self.add(s, AM.attribute, Literal(f"{name}={value}"))

    def concept(self, concept: Concept, cls: URIRef) -> None:
        s = self.iri_of(concept.identifier)
        self.add(s, RDF.type, cls)
        self.add(s, AM.identifier, Literal(concept.identifier))
        self.add(s, AM.type, Literal(concept.type))
        self.texts(s, AM.name, concept.names)
        self.texts(s, AM.documentation, concept.docs)
        self.props(s, concept.props, concept.identifier)
        if concept.source is not None and concept.target is not None:
            self.add(s, AM.source, self.iri_of(concept.source))
            self.add(s, AM.target, self.iri_of(concept.target))
        self.attrs(s, concept.attrs)

    def item(self, item: Item, parent: URIRef, path: str, n: int) -> None:
        s = resource(f"organization-{path}")
        self.add(s, RDF.type, AM.OrganizationItem)
        self.add(s, AM.parent, parent)
        self.order(s, n)
        if item.identifier:
            self.add(s, AM.identifier, Literal(item.identifier))
        if item.ref:
            self.add(s, AM.ref, self.iri_of(item.ref))
        self.texts(s, AM.label, item.labels)
        self.texts(s, AM.documentation, item.docs)
        for i, child in enumerate(item.children):
            self.item(child, s, f"{path}.{i}", i)

    def node(self, node: ViewNode, parent: URIRef, n: int) -> None:
        s = resource(node.identifier)
        self.add(s, RDF.type, AM.ViewNode)
        self.add(s, AM.identifier, Literal(node.identifier))
        self.add(s, AM.type, Literal(node.type))
        self.add(s, AM.parent, parent)
        self.order(s, n)
        for name in ("x", "y", "w", "h"):
            self.add(s, AM[name], Literal(getattr(node, name), datatype=XSD.integer))
        if node.ref:
            self.add(s, AM.ref, self.iri_of(node.ref))
        if node.extra:
            self.add(s, AM.xml, Literal(node.extra))
        self.attrs(s, node.attrs)
        for i, child in enumerate(node.children):
            self.node(child, s, i)

    def view(self, view: View, n: int) -> None:
        s = resource(view.identifier)
        self.add(s, RDF.type, AM.View)
        self.add(s, AM.identifier, Literal(view.identifier))
        self.add(s, AM.type, Literal(view.type))
        self.order(s, n)
        if view.viewpoint:
            self.add(s, AM.viewpoint, Literal(view.viewpoint))
        self.texts(s, AM.name, view.names)
        self.texts(s, AM.documentation, view.docs)
        self.props(s, view.props, view.identifier)
        for i, node in enumerate(view.nodes):
            self.node(node, s, i)
        for i, conn in enumerate(view.connections):
            c = resource(conn.identifier)
            self.add(c, RDF.type, AM.Connection)
            self.add(c, AM.identifier, Literal(conn.identifier))
            self.add(c, AM.type, Literal(conn.type))
            self.add(c, AM.parent, s)
            self.order(c, i)
            self.add(c, AM.source, resource(conn.source))
            self.add(c, AM.target, resource(conn.target))
            if conn.ref:
                self.add(c, AM.ref, self.iri_of(conn.ref))
            if conn.extra:
                self.add(c, AM.xml, Literal(conn.extra))
            self.attrs(c, conn.attrs)


def to_graph(exchange: Exchange, elements: Iterable[Concept], relationships: Iterable[Concept],
             propdefs: Iterable[PropertyDef], iri_of: Callable[[str], URIRef],
             extras: Iterable[Concept] = ()) -> Graph:
    """The passthrough triples of ``exchange``: the model's own name and properties, the
    given (unmapped) elements, relationships and property definitions, every organization
    item and every view; ``extras`` are what mapped elements and relationships carry beyond
    their columns (names in other languages, properties added in Archi), kept on the
    resource of their identifier (no type: the record is the element)."""
    out = _Writer(iri_of)
    for extra in extras:
        s = resource(extra.identifier)
        out.add(s, AM.identifier, Literal(extra.identifier))
        out.texts(s, AM.name, extra.names)
        out.texts(s, AM.documentation, extra.docs)
        out.props(s, extra.props, extra.identifier)
    out.add(MODEL, RDF.type, AM.Model)
    out.add(MODEL, AM.identifier, Literal(exchange.identifier))
    out.texts(MODEL, AM.name, exchange.names)
    out.texts(MODEL, AM.documentation, exchange.docs)
    out.props(MODEL, exchange.props, "model")
    if exchange.metadata:
        out.add(MODEL, AM.xml, Literal(exchange.metadata))
    out.attrs(MODEL, exchange.attrs)
    for concept in elements:
        out.concept(concept, AM.Element)
    for concept in relationships:
        out.concept(concept, AM.Relationship)
    for definition in propdefs:
        s = resource(definition.identifier)
        out.add(s, RDF.type, AM.PropertyDefinition)
        out.add(s, AM.identifier, Literal(definition.identifier))
        out.add(s, AM.dataType, Literal(definition.datatype))
        out.texts(s, AM.name, definition.names)
    for n, item in enumerate(exchange.organizations):
        out.item(item, MODEL, str(n), n)
    for n, view in enumerate(exchange.views):
        out.view(view, n)
    return out.graph


# -- back to exchange values ---------------------------------------------------------------------

class Passthrough:
    """The ``am:`` resources of a built graph, read back as exchange values; ``ident`` gives
    the identifier an IRI is written as (its ``am:identifier``, else the record's)."""

    def __init__(self, graph: Graph, ident: Callable[[str], str]) -> None:
        self.graph = graph
        self._ident = ident
        self.identifiers: dict[Node, str] = {
            s: str(o) for s, o in graph.subject_objects(AM.identifier)}

    def ident(self, node: Node | None) -> str:
        if node is None:
            return ""
        text = str(node)
        if node in self.identifiers:
            return self.identifiers[node]
        if text.startswith(AM_RESOURCE):
            return text[len(AM_RESOURCE):]
        return self._ident(text)

    def texts(self, s: Node, p: URIRef) -> tuple[LangText, ...]:
        return tuple(sorted(((o.language, str(o)) for o in self.graph.objects(s, p)
                             if isinstance(o, Literal)), key=lambda t: (t[0] or "", t[1])))

    def one(self, s: Node, p: URIRef) -> str | None:
        value = self.graph.value(s, p)
        return None if value is None else str(value)

    def int(self, s: Node, p: URIRef) -> int:
        value = self.graph.value(s, p)
        return int(value.toPython()) if isinstance(value, Literal) else 0

    def ordered(self, parent: Node, cls: URIRef) -> list[Node]:
        children = [s for s in self.graph.subjects(AM.parent, parent)
                    if (s, RDF.type, cls) in self.graph]
        return sorted(children, key=lambda s: (self.int(s, AM.order), str(s)))

    def attrs(self, s: Node) -> tuple[tuple[str, str], ...]:
        pairs = (str(o).partition("=") for o in self.graph.objects(s, AM.attribute))
        return tuple(sorted((k, v) for k, _, v in pairs))

    def props(self, s: Node) -> tuple[Prop, ...]:
        nodes = sorted(self.graph.objects(s, AM.property),
                       key=lambda n: (self.int(n, AM.order), str(n)))
        return tuple(Prop(self.ident(self.graph.value(n, AM.propertyDefinition)),
                          self.texts(n, AM.value)) for n in nodes)

    def concepts(self, cls: URIRef) -> list[Concept]:
        found = []
        for s in self.graph.subjects(RDF.type, cls):
            source = self.graph.value(s, AM.source)
            target = self.graph.value(s, AM.target)
            found.append(Concept(self.ident(s), self.one(s, AM.type) or "",
                                 self.texts(s, AM.name), self.texts(s, AM.documentation),
                                 self.props(s),
                                 self.ident(source) if source is not None else None,
                                 self.ident(target) if target is not None else None,
                                 self.attrs(s)))
        return sorted(found, key=lambda c: c.identifier)

    def extra(self, concept: Concept) -> Concept:
        """``concept`` (an element or relationship of ours) with what an import kept beside
        its columns: names and documentation in other languages, other properties."""
        s = resource(concept.identifier)
        if s not in self.identifiers:
            return concept
        return Concept(concept.identifier, concept.type,
                       concept.names + self.texts(s, AM.name),
                       concept.docs + self.texts(s, AM.documentation),
                       concept.props + self.props(s), concept.source, concept.target,
                       concept.attrs, concept.line)

    def propdefs(self) -> list[PropertyDef]:
        return sorted((PropertyDef(self.ident(s), self.texts(s, AM.name),
                                   self.one(s, AM.dataType) or "string")
                       for s in self.graph.subjects(RDF.type, AM.PropertyDefinition)),
                      key=lambda d: d.identifier)

    def items(self, parent: Node) -> tuple[Item, ...]:
        result = []
        for s in self.ordered(parent, AM.OrganizationItem):
            ref = self.graph.value(s, AM.ref)
            result.append(Item(self.texts(s, AM.label), self.texts(s, AM.documentation),
                               self.ident(ref) if ref is not None else None, self.items(s),
                               self.one(s, AM.identifier)))
        return tuple(result)

    def nodes(self, parent: Node) -> tuple[ViewNode, ...]:
        result = []
        for s in self.ordered(parent, AM.ViewNode):
            ref = self.graph.value(s, AM.ref)
            result.append(ViewNode(self.ident(s), self.one(s, AM.type) or "Element",
                                   self.int(s, AM.x), self.int(s, AM.y), self.int(s, AM.w),
                                   self.int(s, AM.h),
                                   self.ident(ref) if ref is not None else None,
                                   self.one(s, AM.xml) or "", self.attrs(s),
                                   self.nodes(s)))
        return tuple(result)

    def views(self) -> list[View]:
        views = sorted(self.graph.subjects(RDF.type, AM.View),
                       key=lambda s: (self.int(s, AM.order), str(s)))
        result = []
        for s in views:
            connections = []
            for c in self.ordered(s, AM.Connection):
                ref = self.graph.value(c, AM.ref)
                connections.append(Connection(
                    self.ident(c), self.one(c, AM.type) or "Relationship",
                    self.ident(self.graph.value(c, AM.source)),
                    self.ident(self.graph.value(c, AM.target)),
                    self.ident(ref) if ref is not None else None,
                    self.one(c, AM.xml) or "", self.attrs(c)))
            result.append(View(self.ident(s), self.texts(s, AM.name),
                               self.texts(s, AM.documentation), self.props(s),
                               self.one(s, AM.viewpoint), self.nodes(s), tuple(connections),
                               self.one(s, AM.type) or "Diagram"))
        return result


__all__ = ["MODEL", "Passthrough", "resource", "to_graph"]
