"""Parameter values: checked against the query's header, resolved to RDF terms, bound by VALUES.

A value never enters the query as text of its own: it becomes a :class:`Term` (an IRI checked
against the IRIREF production, an escaped literal, or a canonical integer) and the terms go into
one ``VALUES`` block at the start of the WHERE group. The same bound text runs on every engine,
so pyoxigraph, rdflib and a remote endpoint see exactly the same query.

Where a resource is expected (``type: iri``) a user may write, in this order of precedence:

1. a full IRI (``https://w3id.org/samhandling/tjeneste/plan`` or ``<...>``) or a prefixed name
   (``sam:Goal``): used as given;
2. an id or ``segment/id`` (``plan``, ``tjeneste/plan``, ``20.30``);
3. a notation, source tag or IT code (``NILAR``, ``20.30``, ``VG``, ``IT08``;
   case-insensitive);
4. a label in either language (``Plan``, ``Clinical summary``, case-insensitive).

Forms 2-4 are looked up among the instances of the header's ``class`` in the data being
queried (the model, or the remote endpoint) and must match exactly one resource.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ..errors import UsageError
from . import sparqltext
from .library import LANG_PARAM, Param, QueryFile, expand_name
from .sandbox import one_line
from .terms import XSD_INTEGER, QueryResult, Term

#: Runs bound query text (a SELECT) and returns its result; supplied by an engine.
Select = Callable[[str], QueryResult]

_LOOKUP_WITH_CLASS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sam: <https://w3id.org/samhandling/ontologi#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?r ?label ?notation WHERE {
  ?r a ?_class .
  OPTIONAL { ?r rdfs:label ?label }
  OPTIONAL { ?r skos:notation|sam:sourceTag|sam:itCode ?notation }
}
"""

#: The same rows, narrowed in the store to the resources the value could name (an IRI ending in
#: ``/value``, a notation or label equal to it ignoring case): a national model has ~10^4
#: instances of a class, and reading them all into Python cost more than the query itself.
_NARROW = """
  FILTER(STRENDS(STR(?r), ?_suffix) || LCASE(STR(?label)) = ?_lower
         || LCASE(STR(?notation)) = ?_lower)
}
"""

_LOOKUP_ANY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sam: <https://w3id.org/samhandling/ontologi#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?r ?label ?notation WHERE {
  ?r rdfs:label ?label .
  FILTER(STRSTARTS(STR(?r), ?_base))
  OPTIONAL { ?r skos:notation|sam:sourceTag|sam:itCode ?notation }
}
"""


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """``["service=plan", "text=lege"]`` to a dict; a malformed or repeated item is an error."""
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?$").removeprefix("_")
        if not sep or not name:
            raise UsageError(f"-p '{one_line(item, 200)}': write -p name=value")
        if name in values:
            raise UsageError(f"-p {one_line(name, 200)} given twice")
        values[name] = value
    return values


@dataclass(frozen=True)
class Bindings:
    """Variable names (``_service``) and their terms, ``None`` for unbound."""

    values: dict[str, Term | None]

    def apply(self, text: str) -> str:
        names = sorted(self.values)
        terms = [self.values[n].sparql() if self.values[n] is not None else "UNDEF"  # type: ignore[union-attr]
                 for n in names]
        return sparqltext.insert_values(text, names, terms)


def bind(query: QueryFile, raw: Mapping[str, str], lang: str, select: Select) -> Bindings:
    """Check every given value against the header and turn all parameters into terms."""
    for name in raw:
        query.param(name)  # unknown name -> UsageError listing the declared ones
    values: dict[str, Term | None] = {}
    for param in query.params:
        if param.name in raw:
            text: str | None = raw[param.name]
        elif param.required:
            raise UsageError(f"query '{query.name}' needs -p {param.name}=... "
                             f"({param.describe('en')})")
        else:
            text = param.default
        values[param.variable] = None if text is None else to_term(param, text, select)
    if query.uses_lang:
        values[f"_{LANG_PARAM}"] = Term.literal(lang)
    return Bindings(values)


def to_term(param: Param, text: str, select: Select) -> Term:
    """One value as the term its declared type asks for."""
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # bytes the locale could not decode (a lone surrogate)
            raise UsageError(f"parameter '{param.name}' is not UTF-8 text: "
                             f"'{one_line(text, 200)}'") from None
    if param.type == "integer":
        try:
            return Term.literal(str(int(text.strip())), XSD_INTEGER)
        except ValueError:
            raise UsageError(f"parameter '{param.name}' takes a whole number, got "
                             f"'{one_line(text, 200)}'") from None
    if param.type == "literal":
        if text.strip() == "":
            raise UsageError(f"parameter '{param.name}' is empty")
        return Term.literal(text)
    return resolve_resource(param, text, select)


def resolve_resource(param: Param, text: str, select: Select) -> Term:
    from ..namespaces import PREFIXES

    value = text.strip()
    if not value:
        raise UsageError(f"parameter '{param.name}' is empty")
    prefix, sep, local = value.partition(":")
    if (value.startswith("<") or "://" in value or value.startswith("urn:")
            or (sep and prefix in PREFIXES and not local.startswith("//"))):
        return Term.iri(expand_name(value, f"parameter '{param.name}'"))
    match = _match(value, _candidates(param, select, value))
    if match is not None:
        return Term.iri(match)
    # Nothing close in the store: read every name (for the suggestions below, and so that a
    # match only Python's case folding sees, like "STRASSE" for "Straße", is still found).
    candidates = _candidates(param, select)
    match = _match(value, candidates)
    if match is not None:
        return Term.iri(match)
    what = _short(param.class_iri) if param.cls else "resource of the model"
    names = sorted({_relative(c[0]) for c in candidates} | {c[1] for c in candidates if c[1]})
    close = difflib.get_close_matches(value, names, n=3, cutoff=0.6)
    if not close:
        folded = value.casefold()
        close = [n for n in names if folded in n.casefold()][:3]
    hint = f"; did you mean {one_line(', '.join(close), 200)}?" if close else ""
    raise UsageError(f"parameter '{param.name}': no {what} has the id, notation or label "
                     f"'{one_line(value, 200)}'{hint}")


Candidate = tuple[str, str, str]  # (iri, label, notation)


def _candidates(param: Param, select: Select, value: str | None = None) -> list[Candidate]:
    """The resources a value may name, with their labels and notations: all of them, or with
    ``value`` only those whose IRI, label or notation could match it (a superset of what
    :func:`_match` accepts, short of case folding beyond ``LCASE``)."""
    from ..namespaces import BASE

    names, terms = [], []
    if param.class_iri:
        text = _LOOKUP_WITH_CLASS
        names.append("_class")
        terms.append(Term.iri(param.class_iri).sparql())
    else:
        text = _LOOKUP_ANY
        names.append("_base")
        terms.append(Term.literal(BASE).sparql())
    if value is not None:
        text = text.rstrip().removesuffix("}") + _NARROW
        names += ["_lower", "_suffix"]
        terms += [Term.literal(value.lower()).sparql(), Term.literal("/" + value).sparql()]
    text = sparqltext.insert_values(text, names, terms)
    result = select(text)
    out: list[Candidate] = []
    for iri, label, notation in result.rows:
        if iri is None or iri.kind != "iri":
            continue
        out.append((iri.value, label.value if label else "", notation.value if notation else ""))
    return out


def _match(value: str, candidates: list[Candidate]) -> str | None:
    """Id, then notation, then label; each tier must name exactly one resource."""
    folded = value.casefold()
    tiers: list[tuple[str, Callable[[Candidate], bool]]] = [
        ("id", lambda c: _relative(c[0]) == value or c[0].rsplit("/", 1)[-1] == value),
        ("notation", lambda c: c[2].casefold() == folded and c[2] != ""),
        ("label", lambda c: c[1].casefold() == folded),
    ]
    for how, test in tiers:
        found = sorted({c[0] for c in candidates if test(c)})
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            options = ", ".join(_relative(f) for f in found)
            raise UsageError(f"'{one_line(value, 200)}' matches several resources by {how}: "
                             f"{one_line(options)}; "
                             "give one of these ids")
    return None


def _relative(iri: str) -> str:
    from ..namespaces import BASE

    return iri[len(BASE):] if iri.startswith(BASE) else iri


def _short(iri: str | None) -> str:
    from ..namespaces import PREFIXES

    if iri is None:
        return "resource"
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"
