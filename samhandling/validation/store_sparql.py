"""Run each SHACL-SPARQL constraint once over the whole model instead of once per focus node.

pySHACL evaluates a SPARQL constraint by sending its SELECT once per focus node with ``$this``
pre-bound. On rdflib's engine that is what dominates validation of a large model: at a million
triples the reuse-cycle rule (``$this sam:reuses ?value . ?value sam:reuses* $this``) took
157 s of 188. Here the same SELECT runs once, on the model's pyoxigraph store, with a pattern
that binds ``$this`` to every focus node placed at the start of the WHERE clause; the rows are
grouped by ``$this`` and handed back to pySHACL's own code, which builds the results exactly
as it would have (message templates, value, path, severity, source shape and constraint).

Only queries whose meaning cannot change under that rewrite are run once; the rest go the
usual way, per focus node. A query runs once only when it is a plain SELECT that projects
``$this``; uses no sub-SELECT, MINUS or pre-bound variable other than ``$this`` (``$value``,
``$currentShape``); and groups by ``$this`` when it aggregates. With ``$this`` first in the group it
is bound wherever pre-binding would bind it (later patterns, FILTER, EXISTS, OPTIONAL), so the
rows for a focus node are the rows pySHACL would have got for it.

SERVICE and FROM stay refused: the query text is checked by :func:`.offline.refuse_network`
before it runs.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rdflib.term import Node

from .offline import refuse_network

if TYPE_CHECKING:
    import pyoxigraph

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_PROJECTS_THIS = re.compile(r"\bSELECT\b[^{]*?[$?]this\b[^{]*?\bWHERE\b",
                            re.IGNORECASE | re.DOTALL)
_AGGREGATE = re.compile(r"\b(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(|\bGROUP\s+BY\b",
                        re.IGNORECASE)
_GROUPS_BY_THIS = re.compile(r"\bGROUP\s+BY\b[^{}]*?[$?]this\b", re.IGNORECASE)
_UNSAFE = re.compile(r"\bMINUS\b", re.IGNORECASE)
_SELECT = re.compile(r"\bSELECT\b", re.IGNORECASE)

Rows = dict[Node, list[dict[str, Node]]]


def once_safe(text: str) -> bool:
    """Whether a SELECT gives, run once with ``VALUES $this``, the rows pySHACL would get per
    focus node (see the module docstring for the rules)."""
    if len(_SELECT.findall(text)) != 1 or _UNSAFE.search(text):
        return False
    if not _PROJECTS_THIS.search(text) or not _WHERE.search(text):
        return False
    return not _AGGREGATE.search(text) or bool(_GROUPS_BY_THIS.search(text))


def rows_once(store: pyoxigraph.Store, text: str, focus: str) -> Rows | None:
    """The rows of ``text`` for every focus node, keyed by focus node; None when the query may
    not run once (the caller then runs it per focus node). ``focus`` is a group pattern that
    binds ``?this`` to each focus node once; it goes first in the WHERE clause."""
    import pyoxigraph as ox

    from .literals import to_rdflib

    if not once_safe(text):
        return None
    refuse_network(text)
    match = _WHERE.search(text)
    assert match is not None
    query = f"{text[:match.end()]} {focus} {text[match.end():]}"
    result = store.query(query)
    if not isinstance(result, ox.QuerySolutions):
        return None
    names = [v.value for v in result.variables]
    rows: Rows = {}
    for solution in result:
        row = {name: to_rdflib(term) for name, term in zip(names, solution, strict=True)
               if term is not None}
        this = row.get("this")
        if this is not None:
            rows.setdefault(this, []).append(row)
    return rows


def violations(rows: list[dict[str, Node]]) -> list[Any]:
    """pySHACL's ``_validate_sparql_query`` on rows already fetched (same order, same
    de-duplication), so its result builder sees what it would have seen."""
    found: list[Any] = []
    failed = False
    for row in rows:
        var_dict = dict(row)
        if var_dict.pop("failure", None) is not None:
            if not failed:
                found.append((True, var_dict))
                failed = True
            continue
        p = var_dict.pop("path", None)
        v = var_dict.pop("value", None)
        t = var_dict.pop("this", None)
        if (p is not None or v is not None or t is not None) and (t, p, v, var_dict) not in found:
            found.append((t, p, v, var_dict))
    return found


__all__ = ["once_safe", "rows_once", "violations"]
