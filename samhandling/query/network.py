"""Decide from the parsed query whether it would reach the network, and keep rdflib offline.

A regular expression over query text cannot decide this: ``?o 1.SERVICE <x>`` lexes as a
number then a keyword, ``\\u0053ERVICE`` is the keyword to rdflib (SPARQL expands ``\\u``
escapes before parsing), and ``ex:a.SERVICE`` is one prefixed name and no keyword at all. So
the query is parsed with rdflib and its algebra searched for ``ServiceGraphPattern``, the
node both engines evaluate by calling out.

Parsing costs time (rdflib's parser is pyparsing), so it is skipped when the keyword cannot
be in the query at all: after expanding ``\\u`` escapes and upper-casing (pyparsing compares
keywords upper-cased, so ``ſervice`` counts), the letters SERVICE appear nowhere.

A query rdflib cannot parse but that mentions SERVICE is refused as well: it cannot be
checked, and refusing is the safe side. The algebra check is the first line; the second is the
child process of :mod:`.sandbox`, which has no network and, for rdflib, no HTTP client.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from .sandbox import one_line

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

SERVICE_REFUSED = ("query uses SERVICE (a call to another SPARQL endpoint), which is refused "
                   "unless --allow-service is given")

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def unescape(text: str) -> str:
    """``text`` with SPARQL's ``\\u``/``\\U`` code point escapes expanded, repeatedly (so an
    escaped backslash cannot hide a second escape from this over-approximation)."""
    def expand(match: re.Match[str]) -> str:
        try:
            return chr(int(match.group(1) or match.group(2), 16))
        except (ValueError, OverflowError):
            return match.group(0)

    for _ in range(8):
        expanded = _ESCAPE.sub(expand, text)
        if expanded == text:
            break
        text = expanded
    return text


def may_mention_service(text: str) -> bool:
    """False only when no spelling of the SERVICE keyword can be in ``text``."""
    return "SERVICE" in unescape(text).upper()


def parse(text: str, init_ns: dict[str, Any] | None = None) -> Query:
    """The query parsed and translated to algebra by rdflib; any failure is a UsageError."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(text, initNs=init_ns or {})
    except ParseException as exc:
        raise UsageError(f"query does not parse: {one_line(str(exc))}") from None
    except RecursionError:
        raise UsageError("query is nested too deeply to parse") from None
    except Exception as exc:  # rdflib's translation raises plain Exceptions (unknown prefix)
        raise UsageError(f"query does not parse: {one_line(str(exc))}") from None


def service_use(query: Query) -> str | None:
    """``SERVICE <iri>`` for the first SERVICE in the parsed query's algebra, else None."""
    from ..validation.offline import network_use

    found = network_use(query)
    return found if found is not None and found.startswith("SERVICE") else None


def refuse_service(text: str, source: str, *, init_ns: dict[str, Any] | None = None,
                   also_from: bool = False) -> Query | None:
    """Raise :class:`UsageError` if ``text`` would call another endpoint.

    Returns the parsed query when it had to be parsed (the rdflib engine then evaluates that
    very object, so what was checked is what runs). ``also_from`` refuses ``FROM <iri>`` as
    well: rdflib downloads such graphs.
    """
    if not also_from and not may_mention_service(text):
        return None
    try:
        query = parse(text, init_ns)
    except UsageError as exc:
        if may_mention_service(text):
            raise UsageError(f"{source}: {SERVICE_REFUSED}; this query mentions SERVICE and "
                             f"cannot be checked ({exc})") from None
        if also_from:
            raise UsageError(f"{source}: {exc}") from None
        return None
    from ..validation.offline import network_use

    reached = network_use(query) if also_from else service_use(query)
    if reached is not None:
        if reached.startswith("SERVICE"):
            raise UsageError(f"{source}: {SERVICE_REFUSED} ({one_line(reached)})")
        raise UsageError(f"{source}: query reads {one_line(reached)}, which rdflib would "
                         "download; refused unless --allow-service is given")
    return query


def disable_rdflib_http() -> None:
    """Leave rdflib no way to the network in this process: its SERVICE evaluation calls
    ``urlopen`` from its evaluate module, and ``FROM`` loads graphs from their IRIs. Only
    called in a child process of :mod:`.sandbox`, which ends after one query."""
    import rdflib.plugins.sparql as sparql_pkg
    from rdflib.plugins.sparql import evaluate

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise UsageError(SERVICE_REFUSED)

    evaluate.urlopen = refuse
    sparql_pkg.SPARQL_LOAD_GRAPHS = False


__all__ = ["SERVICE_REFUSED", "disable_rdflib_http", "may_mention_service", "parse",
           "refuse_service", "service_use", "unescape"]
