"""The Open Exchange Format as plain values, read from and written to XML in one place.

The exporter fills an :class:`Exchange` from the model, the importer reads one from a file, and
both go through :func:`write` and :func:`read`, so the XML's order and spelling live here only.
Reading is safe by construction: lxml with no network, no DTD loading and no entity expansion,
and a file that declares a DTD at all is refused. Every problem of a file is reported (one
line each, with the line number lxml gives), not only the first.

What our records do not use but a view holds (labels, styles, bendpoints of nodes and
connections) is kept as the XML of those child elements (:attr:`ViewNode.extra`), so a view
made in Archi is written back as it came.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..errors import Problem, SamhandlingError
from ..safetext import xml_safe
from .mapping import (
    ELEMENT_TYPES,
    EXCHANGE_NS,
    EXCHANGE_NS_21,
    RELATIONSHIP_TYPES,
    XML_NS,
    XSI_NS,
)

#: (language or None, text)
LangText = tuple[str | None, str]
_LANG = f"{{{XML_NS}}}lang"
_TYPE = f"{{{XSI_NS}}}type"
_NSMAP = {None: EXCHANGE_NS, "xsi": XSI_NS}
#: Languages first in this order, then the others alphabetically (Archi takes the first name
#: when none matches the user's locale: nb first, as the brief says).
LANG_ORDER = ("nb", "en")
#: Attributes of views, folders and properties that must name an identifier of the file
#: (relationships' ends are checked with their own message).
_REFERENCES = ("elementRef", "relationshipRef", "identifierRef", "propertyDefinitionRef",
               "source", "target")
#: Files larger than this are refused before parsing (a 100k-element model is ~60 MB).
MAX_BYTES = 512 * 1024 * 1024


def lang_key(item: LangText) -> tuple[int, str]:
    lang = item[0] or ""
    return (LANG_ORDER.index(lang) if lang in LANG_ORDER else len(LANG_ORDER), lang)


def _q(tag: str) -> str:
    return f"{{{EXCHANGE_NS}}}{tag}"


@dataclass(frozen=True)
class Prop:
    """One property: the identifier of its definition and its values by language."""

    ref: str
    values: tuple[LangText, ...]


@dataclass(frozen=True)
class Concept:
    """An element or relationship: ``source``/``target`` and ``attrs`` (accessType,
    isDirected, modifier) are for relationships."""

    identifier: str
    type: str
    names: tuple[LangText, ...] = ()
    docs: tuple[LangText, ...] = ()
    props: tuple[Prop, ...] = ()
    source: str | None = None
    target: str | None = None
    attrs: tuple[tuple[str, str], ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class PropertyDef:
    identifier: str
    names: tuple[LangText, ...]
    datatype: str = "string"


@dataclass(frozen=True)
class Item:
    """An organization item: a folder (``labels``) or a reference to a concept (``ref``)."""

    labels: tuple[LangText, ...] = ()
    docs: tuple[LangText, ...] = ()
    ref: str | None = None
    children: tuple[Item, ...] = ()
    identifier: str | None = None


@dataclass(frozen=True)
class ViewNode:
    """A node of a view (``Element``, ``Container``, ``Label``) with integer bounds; ``extra``
    is the XML of its other child elements (label, style ...), kept as they came."""

    identifier: str
    type: str
    x: int
    y: int
    w: int
    h: int
    ref: str | None = None
    extra: str = ""
    attrs: tuple[tuple[str, str], ...] = ()
    children: tuple[ViewNode, ...] = ()


@dataclass(frozen=True)
class Connection:
    identifier: str
    type: str
    source: str
    target: str
    ref: str | None = None
    extra: str = ""
    attrs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class View:
    identifier: str
    names: tuple[LangText, ...]
    docs: tuple[LangText, ...] = ()
    props: tuple[Prop, ...] = ()
    viewpoint: str | None = None
    nodes: tuple[ViewNode, ...] = ()
    connections: tuple[Connection, ...] = ()
    type: str = "Diagram"


@dataclass
class Exchange:
    """One exchange file's content."""

    identifier: str
    names: tuple[LangText, ...]
    docs: tuple[LangText, ...] = ()
    props: tuple[Prop, ...] = ()
    metadata: str = ""
    elements: list[Concept] = field(default_factory=list)
    relationships: list[Concept] = field(default_factory=list)
    organizations: list[Item] = field(default_factory=list)
    propdefs: list[PropertyDef] = field(default_factory=list)
    views: list[View] = field(default_factory=list)
    #: other attributes of <model> (version, xsi:schemaLocation), as (Clark name, value)
    attrs: tuple[tuple[str, str], ...] = ()


# -- writing ----------------------------------------------------------------------------------

def _texts(parent: etree._Element, tag: str, values: tuple[LangText, ...]) -> None:
    for lang, text in sorted(values, key=lang_key):
        child = etree.SubElement(parent, _q(tag))
        if lang:
            child.set(_LANG, lang)
        # a control character from a label has no place in XML: U+FFFD, as in the pictures
        child.text = xml_safe(text)


def _props(parent: etree._Element, props: tuple[Prop, ...]) -> None:
    if not props:
        return
    box = etree.SubElement(parent, _q("properties"))
    for prop in props:
        item = etree.SubElement(box, _q("property"), propertyDefinitionRef=prop.ref)
        _texts(item, "value", prop.values)


def _extra(parent: etree._Element, xml: str) -> None:
    """Append the kept XML of child elements (from a passthrough file, which a person may
    have edited: a broken fragment is one error line, not a traceback)."""
    if xml:
        try:
            holder = etree.fromstring(
                f'<x xmlns="{EXCHANGE_NS}" xmlns:xsi="{XSI_NS}">{xml}</x>', _parser())
        except etree.XMLSyntaxError as exc:
            raise SamhandlingError(f"kept ArchiMate XML (am:xml) is not well-formed: {exc.msg}: "
                                   f"{xml[:60]}") from None
        parent.extend(list(holder))


def _node(parent: etree._Element, node: ViewNode) -> None:
    child = etree.SubElement(parent, _q("node"), identifier=node.identifier)
    if node.ref:
        child.set("elementRef", node.ref)
    child.set(_TYPE, node.type)
    for name, number in (("x", node.x), ("y", node.y), ("w", node.w), ("h", node.h)):
        child.set(name, str(number))
    for name, value in node.attrs:
        child.set(name, value)
    _extra(child, node.extra)
    for inner in node.children:
        _node(child, inner)


def _item(parent: etree._Element, item: Item) -> None:
    child = etree.SubElement(parent, _q("item"))
    if item.identifier:
        child.set("identifier", item.identifier)
    if item.ref:
        child.set("identifierRef", item.ref)
    _texts(child, "label", item.labels)
    _texts(child, "documentation", item.docs)
    for inner in item.children:
        _item(child, inner)


def write(exchange: Exchange) -> bytes:
    """The exchange file as UTF-8 bytes, the same bytes for the same value."""
    root = etree.Element(_q("model"), nsmap=_NSMAP)
    root.set("identifier", exchange.identifier)
    for name, value in exchange.attrs:
        root.set(name, value)
    _texts(root, "name", exchange.names)
    _texts(root, "documentation", exchange.docs)
    _props(root, exchange.props)
    _extra(root, exchange.metadata)
    for tag, concepts in (("elements", exchange.elements),
                          ("relationships", exchange.relationships)):
        if not concepts:
            continue
        box = etree.SubElement(root, _q(tag))
        for concept in concepts:
            child = etree.SubElement(box, _q(tag[:-1]), identifier=concept.identifier)
            if concept.source is not None and concept.target is not None:
                child.set("source", concept.source)
                child.set("target", concept.target)
            child.set(_TYPE, concept.type)
            for name, value in concept.attrs:
                child.set(name, value)
            _texts(child, "name", concept.names)
            _texts(child, "documentation", concept.docs)
            _props(child, concept.props)
    if exchange.organizations:
        box = etree.SubElement(root, _q("organizations"))
        for item in exchange.organizations:
            _item(box, item)
    if exchange.propdefs:
        box = etree.SubElement(root, _q("propertyDefinitions"))
        for definition in exchange.propdefs:
            child = etree.SubElement(box, _q("propertyDefinition"),
                                     identifier=definition.identifier, type=definition.datatype)
            _texts(child, "name", definition.names)
    if exchange.views:
        diagrams = etree.SubElement(etree.SubElement(root, _q("views")), _q("diagrams"))
        for view in exchange.views:
            child = etree.SubElement(diagrams, _q("view"), identifier=view.identifier)
            child.set(_TYPE, view.type)
            if view.viewpoint:
                child.set("viewpoint", view.viewpoint)
            _texts(child, "name", view.names)
            _texts(child, "documentation", view.docs)
            _props(child, view.props)
            for node in view.nodes:
                _node(child, node)
            for conn in view.connections:
                item = etree.SubElement(child, _q("connection"), identifier=conn.identifier)
                if conn.ref:
                    item.set("relationshipRef", conn.ref)
                item.set(_TYPE, conn.type)
                item.set("source", conn.source)
                item.set("target", conn.target)
                for name, value in conn.attrs:
                    item.set(name, value)
                _extra(item, conn.extra)
    etree.indent(root, space="  ")
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n'
            + etree.tostring(root, encoding="UTF-8", xml_declaration=False) + b"\n")


# -- reading ----------------------------------------------------------------------------------

def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_blank_text=True)


class _Reader:
    """One file read into an :class:`Exchange`, collecting every problem."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.problems: list[Problem] = []

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.display, line, message))

    def texts(self, parent: etree._Element, tag: str) -> tuple[LangText, ...]:
        return tuple((child.get(_LANG), child.text or "")
                     for child in parent.findall(_q(tag)))

    def props(self, parent: etree._Element) -> tuple[Prop, ...]:
        box = parent.find(_q("properties"))
        if box is None:
            return ()
        return tuple(Prop(p.get("propertyDefinitionRef") or "", self.texts(p, "value"))
                     for p in box.findall(_q("property")))

    def concept(self, node: etree._Element, relationship: bool) -> Concept | None:
        kind = node.get(_TYPE, "")
        known = RELATIONSHIP_TYPES if relationship else ELEMENT_TYPES
        what = "relationship" if relationship else "element"
        if kind not in known:
            import difflib

            close = difflib.get_close_matches(kind, sorted(known), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            self.problem(node.sourceline, f"unknown {what} type xsi:type=\"{kind}\"{hint}")
            return None
        attrs = tuple(sorted((k, v) for k, v in node.attrib.items()
                             if k not in ("identifier", "source", "target", _TYPE)))
        return Concept(node.get("identifier", ""), kind, self.texts(node, "name"),
                       self.texts(node, "documentation"), self.props(node),
                       node.get("source"), node.get("target"), attrs, node.sourceline)

    def item(self, node: etree._Element) -> Item:
        return Item(self.texts(node, "label"), self.texts(node, "documentation"),
                    node.get("identifierRef"),
                    tuple(self.item(c) for c in node.findall(_q("item"))),
                    node.get("identifier"))

    @staticmethod
    def extra(node: etree._Element, skip: tuple[str, ...]) -> str:
        parts = []
        for child in node:
            if not isinstance(child.tag, str) or child.tag in skip:
                continue
            copy = etree.fromstring(etree.tostring(child))
            etree.cleanup_namespaces(copy)
            parts.append(etree.tostring(copy, encoding="unicode").strip())
        return "".join(parts).replace(f' xmlns="{EXCHANGE_NS}"', "")

    @staticmethod
    def attrs(node: etree._Element, known: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((k, v) for k, v in node.attrib.items() if k not in known))

    def view_node(self, node: etree._Element) -> ViewNode:
        def number(name: str) -> int:
            try:
                return round(float(node.get(name, "0")))
            except ValueError:
                self.problem(node.sourceline, f"node {node.get('identifier')}: {name} is not "
                                              "a number")
                return 0

        return ViewNode(node.get("identifier", ""), node.get(_TYPE, "Element"), number("x"),
                        number("y"), number("w"), number("h"), node.get("elementRef"),
                        self.extra(node, (_q("node"),)),
                        self.attrs(node, ("identifier", "elementRef", _TYPE, "x", "y", "w",
                                          "h")),
                        tuple(self.view_node(c) for c in node.findall(_q("node"))))

    def view(self, node: etree._Element) -> View:
        connections = tuple(
            Connection(c.get("identifier", ""), c.get(_TYPE, "Relationship"),
                       c.get("source", ""), c.get("target", ""), c.get("relationshipRef"),
                       self.extra(c, ()),
                       self.attrs(c, ("identifier", "relationshipRef", _TYPE, "source",
                                      "target")))
            for c in node.findall(_q("connection")))
        return View(node.get("identifier", ""), self.texts(node, "name"),
                    self.texts(node, "documentation"), self.props(node),
                    node.get("viewpoint"),
                    tuple(self.view_node(n) for n in node.findall(_q("node"))), connections,
                    node.get(_TYPE, "Diagram"))

    def read(self, data: bytes) -> Exchange | None:
        try:
            tree = etree.fromstring(data, _parser()).getroottree()
        except etree.XMLSyntaxError as exc:
            line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
            self.problem(line, f"not well-formed XML: {exc.msg}")
            return None
        if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
            self.problem(1, "the file declares a DTD (<!DOCTYPE …>); DTDs and entities are "
                            "refused for safety: export the file again without one")
            return None
        root = tree.getroot()
        namespace = etree.QName(root).namespace
        if namespace == EXCHANGE_NS_21 or (namespace or "").rstrip("/") == EXCHANGE_NS_21:
            self.problem(root.sourceline, "this is an ArchiMate 2.1 exchange file (namespace "
                         f"{namespace}); only 3.x is read: open it in Archi and export it "
                         "again as Open Exchange Format 3.1")
            return None
        if root.tag != _q("model"):
            self.problem(root.sourceline, f"not an ArchiMate 3.x exchange file: root element "
                         f"{root.tag} (expected <model> in {EXCHANGE_NS})")
            return None
        metadata = root.find(_q("metadata"))
        exchange = Exchange(root.get("identifier", "model"), self.texts(root, "name"),
                            self.texts(root, "documentation"), self.props(root),
                            self.extra(root, tuple(_q(t) for t in (
                                "name", "documentation", "properties", "elements",
                                "relationships", "organizations", "propertyDefinitions",
                                "views"))) if metadata is not None else "",
                            attrs=self.attrs(root, ("identifier",)))
        for node in root.iterfind(f"{_q('elements')}/{_q('element')}"):
            concept = self.concept(node, relationship=False)
            if concept is not None:
                exchange.elements.append(concept)
        for node in root.iterfind(f"{_q('relationships')}/{_q('relationship')}"):
            concept = self.concept(node, relationship=True)
            if concept is not None:
                exchange.relationships.append(concept)
        for box in root.findall(_q("organizations")):
            exchange.organizations.extend(self.item(c) for c in box.findall(_q("item")))
        for node in root.iterfind(f"{_q('propertyDefinitions')}/{_q('propertyDefinition')}"):
            exchange.propdefs.append(PropertyDef(node.get("identifier", ""),
                                                 self.texts(node, "name"),
                                                 node.get("type", "string")))
        for node in root.iterfind(f"{_q('views')}/{_q('diagrams')}/{_q('view')}"):
            exchange.views.append(self.view(node))
        self.check_references(root, exchange)
        return exchange

    def check_references(self, root: etree._Element, exchange: Exchange) -> None:
        lines: dict[str, list[int | None]] = {}
        for node in root.iter():
            if isinstance(node.tag, str) and node.get("identifier"):
                lines.setdefault(node.get("identifier", ""), []).append(node.sourceline)
        counts = Counter({k: len(v) for k, v in lines.items()})
        for ident, number in sorted(counts.items()):
            if number > 1:
                where = lines[ident]
                self.problem(where[1], f"duplicate identifier '{ident}' (first at line "
                                       f"{where[0]})")
        # every identifier of the file: an element of an unknown type is reported once, as
        # such, not again by each relationship that names it
        concepts = set(lines)
        for rel in exchange.relationships:
            for end in ("source", "target"):
                ref = getattr(rel, end)
                if ref not in concepts:
                    self.problem(rel.line, f"relationship {rel.identifier}: {end} '{ref}' is "
                                           "no element or relationship of the file")
        for node in root.iter(_q("node"), _q("connection"), _q("item"), _q("property")):
            for name in _REFERENCES:
                ref = node.get(name)
                if ref is not None and ref not in concepts:
                    what = etree.QName(node).localname
                    self.problem(node.sourceline, f"{what} {node.get('identifier') or ''}: "
                                 f"{name} '{ref}' is no identifier of the file".replace(" :", ":"))


def read(path: Path, display: str | None = None) -> tuple[Exchange | None, list[Problem]]:
    """Read one exchange file; the value is None when a problem prevents reading it."""
    reader = _Reader(display or str(path))
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            reader.problem(None, f"file is {size} bytes, larger than the limit of {MAX_BYTES}")
            return None, reader.problems
        data = path.read_bytes()
    except OSError as exc:
        reader.problem(None, f"cannot read: {exc.strerror or exc}")
        return None, reader.problems
    exchange = reader.read(data)
    return exchange, reader.problems


__all__ = ["Concept", "Connection", "Exchange", "Item", "LangText", "Prop", "PropertyDef",
           "View", "ViewNode", "lang_key", "read", "write"]
