"""An rdflib graph whose SPARQL never leaves the machine and is parsed once per query text.

Validation runs SHACL-SPARQL written by whoever edits ``shapes/``. rdflib would happily evaluate
``SERVICE <http://...>`` (a federated query over HTTP) or ``FROM <http://...>`` (it downloads the
graph), so a shape could make CI reach the network. :class:`OfflineGraph` refuses both before a
query runs, whatever produced the query text (pySHACL's own checks are regular expressions).

The same spot gives the speed-up that makes our wrapper cheaper than bare pySHACL: pySHACL
sends the same SPARQL text once per focus node, and rdflib parses it every time (the parser is
pyparsing; parsing costs far more than evaluating on a model this size). The graph keeps each
parsed query, so a text is parsed once per run.

The graph shares the store of the graph it wraps: no triple is copied. Parsed queries are
kept per process (a parsed query is not changed by running it), so a second validation in the
same process, as in the tests, parses nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result

from ..errors import UsageError


class NetworkRefusedError(UsageError):
    """A SPARQL query asked for something on the network (SERVICE, FROM)."""


def network_use(query: Query) -> str | None:
    """Name the first network-reaching part of a parsed query (``SERVICE <x>``, ``FROM <x>``),
    or None when it stays in the local graph."""
    for clause in query.algebra.get("datasetClause") or ():
        target = clause.get("default") or clause.get("named")
        return f"FROM <{target}>"
    for part in _parts(query.algebra):
        if part.name == "ServiceGraphPattern":
            return f"SERVICE {part.get('term').n3()}"
    return None


def _parts(node: object) -> Iterator[CompValue]:
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _parts(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _parts(value)


_PREPARED: dict[tuple[str, tuple[tuple[str, str], ...]], Query] = {}

#: What a query must hold to reach the network: the keyword SERVICE or FROM as a token, or a
#: ``\\u``/``\\U`` escape (SPARQL applies them before parsing, so one could spell either).
_MAY_REACH = re.compile(r"\b(?:SERVICE|FROM)\b|\\u", re.IGNORECASE)


def refuse_network(text: str) -> None:
    """Raise :class:`NetworkRefusedError` when ``text`` (a full query, prefixes declared in it)
    would reach the network; parsed once per text, like :meth:`OfflineGraph.prepare`.

    A text that cannot spell SERVICE or FROM is not parsed at all: the store runs it, and
    parsing with rdflib's pyparsing grammar cost most of a small model's validation."""
    if _MAY_REACH.search(text) is None:
        return
    _prepare(text, {})


def _prepare(text: str, namespaces: Mapping[str, Any]) -> Query:
    """``text`` parsed with ``namespaces`` (once per process), refused if it reaches the
    network."""
    key = (text, tuple(sorted((k, str(v)) for k, v in namespaces.items())))
    query = _PREPARED.get(key)
    if query is None:
        query = prepareQuery(text, initNs=dict(namespaces))
        reached = network_use(query)
        if reached is not None:
            raise NetworkRefusedError(
                f"SPARQL may not reach the network during validation: {reached}")
        _PREPARED[key] = query
    return query


class OfflineGraph(Graph):
    """A view of ``graph``'s store that parses each query text once and refuses network use."""

    def __init__(self, graph: Graph) -> None:
        super().__init__(store=graph.store, identifier=graph.identifier,
                         namespace_manager=graph.namespace_manager)

    def prepare(self, text: str, init_ns: Mapping[str, Any] | None = None) -> Query:
        """Parse ``text`` (once) and refuse it if it would reach the network."""
        return _prepare(text, dict(init_ns) if init_ns else dict(self.namespaces()))

    def query(self, query_object: str | Query, processor: Any = "sparql",
              result: Any = "sparql", initNs: Mapping[str, Any] | None = None,
              initBindings: Mapping[str, Any] | None = None,
              use_store_provided: bool = True, **kwargs: Any) -> Result:
        if isinstance(query_object, str):
            query_object = self.prepare(query_object, initNs)
        elif isinstance(query_object, Query) and network_use(query_object) is not None:
            raise NetworkRefusedError(
                f"SPARQL may not reach the network during validation: {network_use(query_object)}")
        return super().query(query_object, processor, result, initNs, initBindings,
                             use_store_provided, **kwargs)


__all__ = ["NetworkRefusedError", "OfflineGraph", "network_use", "refuse_network"]
