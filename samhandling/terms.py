"""RDF terms: the one N-Triples codec, the conversions between rdflib and pyoxigraph, and the
canonical forms the outputs rely on. Every stage converts terms here, and only here.

**The N-Triples codec.** The build keeps each triple as its three N-Triples terms (``<iri>``,
``"text"@nb``, ``"5"^^<...#integer>``, ``_:b0``; see :mod:`samhandling.built`), so the text
is a key: the same term must always be written the same way. :func:`nt_literal` and
:func:`nt_term` write canonical N-Triples (RDF 1.1: only ``\\``, ``"``, line feed and carriage
return are escaped in a literal); :func:`split_literal` and :func:`rdflib_term` read it back,
and :func:`unescape` reads every escape N-Triples and SPARQL's TSV results allow (``\\t``,
``\\'``, ``\\u00e5`` ...). :func:`sparql_string` writes a string with *every* character escape
used, for text placed inside a query.

**Datatypes.** :data:`INTEGER_TYPES` is ``xsd:integer`` and the types derived from it;
pyoxigraph stores the derived ones (:data:`DERIVED_INTEGER_TYPES`) as ``xsd:integer``.

**Canonical forms.** :func:`n3_key` orders N-Triples terms as rdflib's ``n3()`` does, and
:func:`canonical_triples` gives an rdflib graph's triples with canonical blank nodes in that
order: the exporters and the built model sort by the same key, so both give the same bytes.
:func:`sorted_terms` sorts rdflib terms in rdflib's own order.

Nothing here imports rdflib or pyoxigraph until a conversion needs it: the query commands
read :data:`XSD_STRING` and :func:`unescape` without loading either engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypeVar, cast

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import Graph
    from rdflib.term import Identifier, Node

#: A triple as its three N-Triples terms (``<iri>``, ``"text"@nb``, ``_:b0``).
NtTriple = tuple[str, str, str]

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
XSD_INTEGER = XSD + "integer"
XSD_DECIMAL = XSD + "decimal"
XSD_BOOLEAN = XSD + "boolean"
XSD_DATE = XSD + "date"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
#: The types derived from ``xsd:integer``: pyoxigraph 0.5 stores each as ``xsd:integer``.
DERIVED_INTEGER_TYPES: frozenset[str] = frozenset(XSD + name for name in (
    "long", "int", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte"))
#: ``xsd:integer`` and every type derived from it: whole numbers.
INTEGER_TYPES: frozenset[str] = DERIVED_INTEGER_TYPES | {XSD_INTEGER}


# -- writing ------------------------------------------------------------------------------------
#: The translation table of :func:`escape` (for a loop that checks :data:`NEEDS_ESCAPE` itself).
NT_ESCAPE = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
#: A lexical form with a character canonical N-Triples escapes.
NEEDS_ESCAPE = re.compile(r'["\\\n\r]')
_SPARQL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
                   "\b": "\\b", "\f": "\\f"}


def escape(lexical: str) -> str:
    """A lexical form as canonical N-Triples writes it between the quotes."""
    return lexical.translate(NT_ESCAPE) if NEEDS_ESCAPE.search(lexical) else lexical


def nt_iri(iri: str) -> str:
    return f"<{iri}>"


def nt_literal(lexical: str, lang: str | None = None, datatype: str | None = None) -> str:
    """A literal in canonical N-Triples: ``"text"``, ``"text"@nb`` or ``"5"^^<datatype>``."""
    if NEEDS_ESCAPE.search(lexical):
        lexical = lexical.translate(NT_ESCAPE)
    text = f'"{lexical}"'
    if lang:
        return f"{text}@{lang}"
    if datatype:
        return f"{text}^^<{datatype}>"
    return text


def sparql_string(text: str) -> str:
    """``text`` as a quoted string with every character escape used (tab, backspace and form
    feed too), safe inside a query and on one line."""
    return '"' + "".join(_SPARQL_ESCAPES.get(ch, ch) for ch in text) + '"'


#: rdflib term class -> "iri", "bnode", "literal" or "" (none of them), found by isinstance
#: once per class: the conversions run once per term and must not import rdflib each time.
_RDFLIB_KINDS: dict[type, str] = {}


def _rdflib_kind(node: object) -> str:
    cls = type(node)
    kind = _RDFLIB_KINDS.get(cls)
    if kind is None:
        from rdflib import BNode, Literal, URIRef

        kind = _RDFLIB_KINDS[cls] = (
            "iri" if issubclass(cls, URIRef) else "literal" if issubclass(cls, Literal)
            else "bnode" if issubclass(cls, BNode) else "")
    return kind


def nt_term(node: Node) -> str:
    """The N-Triples form of an rdflib term (the key :attr:`BuiltModel.statements` uses)."""
    kind = _rdflib_kind(node)
    if kind == "iri":
        return f"<{node}>"
    if kind == "literal":
        datatype = node.datatype  # type: ignore[attr-defined]
        return nt_literal(str(node), node.language,  # type: ignore[attr-defined]
                          str(datatype) if datatype is not None else None)
    if kind == "bnode":
        return f"_:{node}"
    raise TypeError(f"unsupported RDF term: {node!r}")


# -- reading ------------------------------------------------------------------------------------
_ESCAPE_SEQUENCE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_UNESCAPED = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'",
              "\\": "\\"}


def _unescape_one(match: re.Match[str]) -> str:
    code = match.group(1)
    if len(code) > 1:
        return chr(int(code[1:], 16))
    try:
        return _UNESCAPED[code]
    except KeyError:
        raise ValueError(f"bad escape \\{code} in a SPARQL TSV or N-Triples term") from None


def unescape(text: str) -> str:
    """The text between an N-Triples literal's quotes with its escapes read (ECHAR and
    ``\\u``/``\\U``); ValueError for an escape N-Triples does not have."""
    if "\\" not in text:
        return text
    return _ESCAPE_SEQUENCE.sub(_unescape_one, text)


def split_literal(nt: str) -> tuple[str, str]:
    """(lexical form, suffix after the closing quote) of an N-Triples literal."""
    end = nt.rindex('"')
    return unescape(nt[1:end]), nt[end + 1:]


def lexical(nt: str) -> str:
    """``str()`` of the term: a literal's lexical form, an IRI, a blank node's label."""
    if nt[0] == '"':
        return split_literal(nt)[0]
    return nt[1:-1] if nt[0] == "<" else nt[2:]


def literal_lang(nt: str) -> str | None:
    """The language tag of an N-Triples literal; None for any other term or literal."""
    if not nt.startswith('"'):
        return None
    suffix = split_literal(nt)[1]
    return suffix[1:] if suffix.startswith("@") else None


def rdflib_term(nt: str) -> Node:
    """The rdflib term of an N-Triples term written by this module."""
    from rdflib import BNode, Literal, URIRef

    first = nt[0]
    if first == "<":
        return URIRef(nt[1:-1])
    if first == "_":
        return BNode(nt[2:])
    text, suffix = split_literal(nt)
    if suffix.startswith("@"):
        return Literal(text, lang=suffix[1:])
    if suffix.startswith("^^"):
        return Literal(text, datatype=URIRef(suffix[3:-1]))
    return Literal(text)


# -- rdflib <-> pyoxigraph ----------------------------------------------------------------------
def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert one rdflib term to pyoxigraph."""
    import pyoxigraph as ox

    kind = _rdflib_kind(term)
    if kind == "iri":
        return ox.NamedNode(str(term))
    if kind == "bnode":
        return ox.BlankNode(str(term))
    if kind == "literal":
        language = term.language  # type: ignore[attr-defined]
        if language:
            return ox.Literal(str(term), language=language)
        datatype = term.datatype  # type: ignore[attr-defined]
        if datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported RDF term: {term!r}")


def to_rdflib(term: object, *, as_written: bool = False) -> Node:
    """Convert one pyoxigraph term to its rdflib twin.

    By default rdflib normalises typed literals as it makes them (as everywhere else in
    rdflib); ``as_written`` keeps the lexical form untouched, which validation needs:
    ``"1"^^xsd:double`` would otherwise read as ``"1.0"``, a length pySHACL would judge."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    normalize = False if as_written else None  # None: rdflib's global setting
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language, normalize=normalize)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype), normalize=normalize)
    raise TypeError(f"unsupported RDF term: {term!r}")


# -- canonical forms ----------------------------------------------------------------------------
def n3_key(triple: NtTriple) -> NtTriple:
    """The triple as rdflib's ``n3()`` writes its terms, the exporters' sort key.

    The N-Triples text is that already, except for a literal with an escape: rdflib writes
    one with a line break in triple quotes, so those (a handful) go through rdflib."""
    s, p, o = triple
    if o[0] == '"' and "\\" in o:
        return s, p, rdflib_term(o).n3()
    return triple


def canonical_triples(graph: Graph) -> list[ox.Triple]:
    """An rdflib graph's triples with canonical blank-node labels, sorted by the N3 form of
    subject, predicate and object (the order :func:`n3_key` gives N-Triples terms)."""
    import pyoxigraph as ox

    if any(_rdflib_kind(t) == "bnode" for triple in graph for t in (triple[0], triple[2])):
        from rdflib.compare import to_canonical_graph

        graph = to_canonical_graph(graph)
    ordered = sorted(graph, key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3()))
    return [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
            for s, p, o in ordered]


_Term = TypeVar("_Term", bound="Node")


def sorted_terms(terms: Iterable[_Term]) -> list[_Term]:
    """``sorted(terms)`` in rdflib's order of terms (by kind, then by text).

    rdflib types a graph's terms as ``Node``, which declares no order; every term a graph or a
    store gives is an ``Identifier`` (``URIRef``, ``BNode``, ``Literal``), which has one."""
    return cast("list[_Term]", sorted(cast("Iterable[Identifier]", terms)))

