"""Literals as written: what SHACL reads, and how to tell when a store or parser would not.

SHACL's core constraints read the data graph's terms exactly as written: ``sh:maxLength 3``
fails ``"1.50"^^xsd:decimal`` (four characters), ``sh:in ("01"^^xsd:integer)`` holds for
``"01"`` and not for ``"1"`` (RDF term equality), ``sh:pattern "^[+]"`` matches ``"+5"``.
Two libraries under the validator rewrite literals on the way in:

- **pyoxigraph** stores typed literals by value: ``"1.50"^^xsd:decimal`` comes back as
  ``"1.5"``, ``"01"^^xsd:integer`` as ``"1"``, ``"1"^^xsd:boolean`` as ``"true"``, a
  ``xsd:long`` as ``xsd:integer``; two triples that differ only so become one.
- **rdflib** normalises a typed literal's lexical form when it is made, unless told not to
  (``rdflib.NORMALIZE_LITERALS`` / ``Literal(..., normalize=False)``): ``"+5"`` -> ``"5"``,
  ``"1E0"^^xsd:double`` -> ``"1.0"``, ``"2020-01-01Z"^^xsd:date`` -> ``"2020-01-01"``.

So: everything validation reads is made with normalisation off (:func:`as_written` around
loading and validating; :func:`to_rdflib` for terms out of a store), and the store route is
used only when :func:`store_rewrite` finds no literal the store would give back otherwise
(checked by asking pyoxigraph itself, so the rule follows its version, not a list of ours).
Models built from YAML, CSV or XLSX never hold such literals (the build writes canonical
forms), so the check costs one pass over the literals and a tiny store of the distinct
typed ones.

Language tags are the one rewrite neither route can undo: pyoxigraph's parser lowercases
them. It changes no SHACL result: tags compare case-insensitively (RDF's value space of
language tags is lower case; ``sh:languageIn`` uses ``langMatches``, ``sh:uniqueLang``
and term equality ignore case); only the tag shown in a result may be lower case.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import rdflib
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ..terms import to_rdflib as _terms_to_rdflib

if TYPE_CHECKING:
    from ..built import BuiltModel

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@contextmanager
def as_written() -> Iterator[None]:
    """Make every rdflib literal made inside keep its lexical form as written.

    rdflib reads its module switch at each ``Literal(...)``; pySHACL flips the same switch
    around its own runs (``pyshacl.monkey``), so this is the library's intended knob. The
    previous value comes back on exit (nesting is safe). rdflib also logs a traceback for
    every ill-typed literal it meets; an ill-typed literal is data for ``sh:datatype`` to
    judge, not a crash, so that logger is quiet inside too.
    """
    before = rdflib.NORMALIZE_LITERALS
    term_log = logging.getLogger("rdflib.term")
    level = term_log.level
    rdflib.NORMALIZE_LITERALS = False
    term_log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = before
        term_log.setLevel(level)


def to_rdflib(term: object) -> Node:
    """The rdflib twin of a pyoxigraph term, lexical form untouched (see
    :func:`samhandling.terms.to_rdflib`)."""
    return _terms_to_rdflib(term, as_written=True)


def store_rewrite(model: BuiltModel, shapes: Graph | None = None) -> str | None:
    """The first literal of the model (or the shapes) that pyoxigraph would not give back
    as written, shown as ``"1.50"^^xsd:decimal -> "1.5"``; None when there is none.

    The shapes count too: the store route writes their terms into SPARQL (``sh:in``,
    ``sh:hasValue``, range bounds), where pyoxigraph compares them by value.
    """
    typed: set[tuple[str, str]] = set()
    if model._triples is not None:  # the build's N-Triples text: no rdflib terms made
        from ..terms import split_literal as _split_literal

        for _s, _p, o in model._triples:
            if o[0] != '"' or o[-1] == '"':
                continue
            lexical, suffix = _split_literal(o)
            if suffix[0] == "@":
                if suffix != suffix.lower():
                    return f"{o} -> language tag {suffix.lower()}"
            elif suffix[3:-1] != _XSD_STRING:
                typed.add((lexical, suffix[3:-1]))
    else:
        rewrite = _scan(model.graph.objects(), typed)
        if rewrite is not None:
            return rewrite
    if shapes is not None:
        rewrite = _scan(shapes.objects(), typed)
        if rewrite is not None:
            return rewrite
    return _ask_store(typed)


def _scan(objects: Iterable[Node], typed: set[tuple[str, str]]) -> str | None:
    for o in objects:
        if not isinstance(o, Literal):
            continue
        if o.language:
            if o.language != o.language.lower():
                return f"{o.n3()} -> language tag @{o.language.lower()}"
        elif o.datatype is not None and str(o.datatype) != _XSD_STRING:
            typed.add((str(o), str(o.datatype)))
    return None


def _ask_store(typed: set[tuple[str, str]]) -> str | None:
    """Put each distinct typed literal in a scratch store and compare what comes back."""
    if not typed:
        return None
    import pyoxigraph as ox

    written = sorted(typed)
    store = ox.Store()
    predicate = ox.NamedNode("urn:x-samhandling:value")
    store.extend(ox.Quad(ox.NamedNode(f"urn:x-samhandling:{i}"), predicate,
                         ox.Literal(lexical, datatype=ox.NamedNode(datatype)))
                 for i, (lexical, datatype) in enumerate(written))
    for quad in store:
        lexical, datatype = written[int(quad.subject.value.rpartition(":")[2])]
        back = quad.object
        if back.value != lexical or back.datatype.value != datatype:
            shown = Literal(lexical, datatype=URIRef(datatype), normalize=False).n3()
            stored = Literal(back.value, datatype=URIRef(back.datatype.value),
                             normalize=False).n3()
            return f"{shown} -> {stored}"
    return None


__all__ = ["as_written", "store_rewrite", "to_rdflib"]
