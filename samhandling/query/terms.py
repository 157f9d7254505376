"""Engine-neutral RDF terms and query results.

pyoxigraph, rdflib and a remote endpoint's JSON each spell terms their own way (a plain literal
is ``xsd:string`` in one and has no datatype in another; language tags may differ in case).
Every engine converts its answers to :class:`Term`, so "the same rows" is a plain ``==`` and
formatting never needs to know which engine ran the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from ..errors import UsageError
from ..terms import (
    INTEGER_TYPES,
    RDF_LANG_STRING,
    XSD,
    XSD_BOOLEAN,
    XSD_INTEGER,
    XSD_STRING,
    sparql_string,
    unescape,
)

#: Characters an IRI may not contain in SPARQL (the IRIREF production) or N-Triples.
_BAD_IRI_CHARS = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
#: A ``u``/``U`` right after an escaped backslash (``\\u``): SPARQL reads ``\u`` code point
#: escapes before parsing (rdflib does, on the whole text), so a value holding ``\u0022``
#: would come back as ``"``, and ``\U0001F600`` not parse at all. Such a letter is written as
#: an escape itself (8 digits: rdflib's ``\u`` also swallows 8 hex digits when it can).
_BACKSLASH_U = re.compile(r"(?<=\\\\)[uU]")


class Term(NamedTuple):
    """One RDF term. Literals always carry a datatype (``xsd:string`` when plain,
    ``rdf:langString`` with a lower-case ``lang`` when language-tagged).

    A named tuple rather than a dataclass: a large result makes one per cell, and a tuple is
    several times cheaper to create."""

    kind: Literal["iri", "bnode", "literal"]
    value: str
    datatype: str | None = None
    lang: str | None = None

    # -- constructors ----------------------------------------------------------------------
    @staticmethod
    def iri(value: str) -> Term:
        check_iri(value)
        return Term("iri", value)

    @staticmethod
    def literal(value: str, datatype: str | None = None, lang: str | None = None) -> Term:
        if lang:
            return Term("literal", value, RDF_LANG_STRING, lang.lower())
        return Term("literal", value, datatype or XSD_STRING)

    @staticmethod
    def bnode(value: str) -> Term:
        return Term("bnode", value)

    # -- views -----------------------------------------------------------------------------
    def sparql(self) -> str:
        """The term in SPARQL/N-Triples syntax, safe to place in a ``VALUES`` block: IRIs are
        checked against the IRIREF production and literals are escaped, so no value can end
        the term early and change the query around it."""
        if self.kind == "iri":
            check_iri(self.value)
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = _BACKSLASH_U.sub(lambda m: f"\\U{ord(m.group()):08X}",
                                sparql_string(self.value))
        if self.lang:
            if not re.fullmatch(r"[a-zA-Z]+(-[a-zA-Z0-9]+)*", self.lang):
                raise UsageError(f"bad language tag '{self.lang}'")
            return f"{text}@{self.lang}"
        if self.datatype and self.datatype != XSD_STRING:
            check_iri(self.datatype)
            return f"{text}^^<{self.datatype}>"
        return text

    def python(self) -> Any:
        """The value as JSON wants it: numbers and booleans native, everything else text."""
        if self.kind == "literal":
            if self.datatype in INTEGER_TYPES:
                try:
                    return int(self.value)
                except ValueError:
                    return self.value
            if self.datatype == XSD_BOOLEAN:
                return self.value in ("true", "1")
        return self.value


def check_iri(value: str) -> None:
    """Refuse anything that is not an absolute IRI writable between ``<`` and ``>``."""
    if not _ABSOLUTE_IRI.match(value) or _BAD_IRI_CHARS.search(value):
        from .sandbox import one_line

        raise UsageError(f"'{one_line(value, 200)}' is not an absolute IRI (like "
                         "https://example.org/x, "
                         "without spaces or <>\"{}|^`\\)")


Row = tuple[Term | None, ...]


@dataclass
class QueryResult:
    """What a query answered: solutions (``select``), a truth value (``ask``) or triples
    (``graph``, for CONSTRUCT and DESCRIBE, as rows of subject, predicate, object)."""

    form: Literal["select", "ask", "graph"]
    variables: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    boolean: bool | None = None

    @staticmethod
    def graph(triples: list[tuple[Term, Term, Term]]) -> QueryResult:
        """Triples have no order of their own: sort them so output and comparisons are stable."""
        return QueryResult("graph", ["subject", "predicate", "object"], sorted(set(triples)))


# -- conversions from each engine (imported lazily by the caller's engine) ----------------

def from_oxigraph(term: Any) -> Term | None:
    """A pyoxigraph term (or ``None`` for an unbound variable)."""
    if term is None:
        return None
    name = type(term).__name__
    if name == "NamedNode":
        return Term("iri", term.value)
    if name == "BlankNode":
        return Term("bnode", term.value)
    if name == "Literal":
        return Term.literal(term.value, term.datatype.value, term.language)
    raise TypeError(f"unsupported pyoxigraph term {term!r}")


_BARE_TYPES = {"true": XSD_BOOLEAN, "false": XSD_BOOLEAN}


def from_sparql_tsv(cell: str) -> Term | None:
    """One cell of the SPARQL 1.1 TSV results format (also one N-Triples term): ``<iri>``,
    ``_:id``, a quoted literal with ``@lang`` or ``^^<datatype>``, or a bare number or
    boolean (Turtle's short forms); an empty cell is an unbound variable.

    pyoxigraph writes a whole result as TSV in Rust much faster than Python can walk its
    term objects, so the embedded engine reads big results this way."""
    if not cell:
        return None
    first = cell[0]
    if first == "<":
        return Term("iri", cell[1:-1])
    if first == '"':
        end = cell.rindex('"')
        value = unescape(cell[1:end])
        suffix = cell[end + 1:]
        if not suffix:
            return Term("literal", value, XSD_STRING)
        if suffix[0] == "@":
            return Term("literal", value, RDF_LANG_STRING, suffix[1:].lower())
        return Term("literal", value, suffix[3:-1])  # ^^<datatype>
    if cell.startswith("_:"):
        return Term("bnode", cell[2:])
    datatype = _BARE_TYPES.get(cell)
    if datatype is None:
        if "e" in cell or "E" in cell:
            datatype = XSD + "double"
        elif "." in cell:
            datatype = XSD + "decimal"
        elif cell.lstrip("+-").isdigit():
            datatype = XSD_INTEGER
        else:
            raise ValueError(f"cannot read SPARQL TSV term {cell!r}")
    return Term("literal", cell, datatype)


def from_rdflib(term: Any) -> Term | None:
    """An rdflib term (or ``None``)."""
    if term is None:
        return None
    name = type(term).__name__
    if name == "URIRef":
        return Term("iri", str(term))
    if name == "BNode":
        return Term("bnode", str(term))
    if name == "Literal":
        datatype = str(term.datatype) if term.datatype is not None else None
        return Term.literal(str(term), datatype, term.language)
    raise TypeError(f"unsupported rdflib term {term!r}")


def from_sparql_json(binding: object) -> Term:
    """One value of the SPARQL 1.1 Query Results JSON format, checked: an answer from a
    remote endpoint may hold anything (TypeError or ValueError when it is not a value)."""
    if not isinstance(binding, dict):
        raise TypeError("a value is not a JSON object")
    for key in ("type", "value", "datatype", "xml:lang"):
        if key in binding and not isinstance(binding[key], str):
            raise TypeError(f"'{key}' of a value is not a string")
    kind = binding.get("type")
    value = binding.get("value", "")
    if kind == "uri":
        return Term("iri", value)
    if kind == "bnode":
        return Term("bnode", value)
    if kind in ("literal", "typed-literal"):
        return Term.literal(value, binding.get("datatype"), binding.get("xml:lang"))
    raise ValueError(f"unknown term type {str(kind)[:40]!r} in SPARQL JSON results")
