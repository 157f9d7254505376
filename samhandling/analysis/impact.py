"""What a delayed or removed service takes with it: services, needs, scenarios and actors.

If a service is late, every service that reuses it (directly or through others) cannot be
finished either; the needs those services handle go unmet, the scenarios those needs arise in
are affected, and so are the actors involved in them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from ..errors import UsageError
from .graphs import reachable

__all__ = ["Impact", "impact", "resolve_service"]


@dataclass(frozen=True)
class Impact:
    """Everything affected if ``service`` is delayed; every tuple sorted by node."""

    service: str
    #: services that reuse ``service`` directly or transitively (``service`` excluded)
    services: tuple[str, ...]
    #: needs handled by ``service`` or by an affected service
    needs: tuple[str, ...]
    #: affected needs that no unaffected service handles
    needs_without_alternative: tuple[str, ...]
    #: scenarios an affected need arises in
    scenarios: tuple[str, ...]
    #: actors (and actor groups) involved in an affected scenario
    actors: tuple[str, ...]
    #: groups the affected actors belong to (transitively), not themselves involved
    actor_groups: tuple[str, ...]

    def counts(self) -> dict[str, int]:
        return {"services": len(self.services), "needs": len(self.needs),
                "needs_without_alternative": len(self.needs_without_alternative),
                "scenarios": len(self.scenarios), "actors": len(self.actors),
                "actor_groups": len(self.actor_groups)}


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def resolve_service(graph: nx.Graph, text: str,
                    alt_labels: Mapping[str, Iterable[str]] | None = None) -> str:
    """The service node a user means by ``text``: IRI, id, or label in either language.

    Parameters
    ----------
    graph : networkx.Graph
        A graph whose service nodes (``kind == "service"``) carry ``id``, ``label_nb`` and
        ``label_en``.
    text : str
        What the user typed; case and runs of spaces do not matter for ids and labels.
    alt_labels : mapping, optional
        node -> alternative labels (``skos:altLabel``, e.g. "Planer" for Plan).

    Returns
    -------
    str
        The node.

    Raises
    ------
    UsageError
        No service or more than one matches; the message suggests close matches by label.

    Notes
    -----
    O(n) for n services, plus difflib's O(n * l^2) suggestion search on a miss.
    """
    services = [n for n, d in graph.nodes(data=True) if d.get("kind") == "service"]
    if text in graph and text in services:
        return text
    wanted = _normal(text)
    names: dict[str, set[str]] = {}
    for node in services:
        data = graph.nodes[node]
        candidates = [data.get("id", ""), data.get("label_nb", ""), data.get("label_en", "")]
        candidates += list((alt_labels or {}).get(node, ()))
        for name in candidates:
            if name:
                names.setdefault(_normal(name), set()).add(node)
    found = names.get(wanted, set())
    if len(found) == 1:
        return next(iter(found))
    if len(found) > 1:
        raise UsageError(f"service '{text}' is ambiguous: it names {', '.join(sorted(found))}; "
                         "give the IRI")
    labels: dict[str, str] = {}
    for node in sorted(services):
        for key in ("label_nb", "label_en"):
            label = str(graph.nodes[node].get(key, ""))
            if label:
                labels.setdefault(_normal(label), label)
    contains = [k for k in sorted(labels) if wanted and wanted in k]
    close = difflib.get_close_matches(wanted, sorted(labels), n=3, cutoff=0.6)
    suggestions = list(dict.fromkeys(contains + close))[:3]
    hint = ""
    if suggestions:
        hint = " (did you mean " + ", ".join(f"'{labels[k]}'" for k in suggestions) + "?)"
    raise UsageError(f"unknown service '{text}'{hint}")


def impact(reuse: nx.DiGraph, actors: nx.DiGraph, hierarchy: nx.DiGraph, service: str) -> Impact:
    """Everything that cannot be completed if ``service`` is delayed or removed.

    Parameters
    ----------
    reuse : networkx.DiGraph
        Edge ``A -> B`` when service A reuses B.
    actors : networkx.DiGraph
        Paths ``actor -> scenario -> need -> service`` (see
        :func:`samhandling.analysis.graphs.actor_graph`); node attribute ``kind``.
    hierarchy : networkx.DiGraph
        Edge ``member -> group`` for actor groups.
    service : str
        The delayed service (a node of ``reuse``).

    Returns
    -------
    Impact
        Affected services (transitive reusers), needs, needs left with no unaffected service,
        scenarios, actors, and the groups of those actors.

    Raises
    ------
    UsageError
        ``service`` is not a node of ``reuse``.

    Examples
    --------
    >>> reuse = nx.DiGraph([("summary", "plan")])
    >>> chain = nx.DiGraph([("gp", "sc"), ("sc", "n1"), ("n1", "summary")])
    >>> for n, k in [("gp", "actor"), ("sc", "scenario"), ("n1", "need")]:
    ...     chain.nodes[n]["kind"] = k
    >>> i = impact(reuse, chain, nx.DiGraph(), "plan")
    >>> i.services, i.needs, i.scenarios, i.actors
    (('summary',), ('n1',), ('sc',), ('gp',))

    Notes
    -----
    One reverse search of the reuse graph (O(n + m)), then one step back along the actor
    graph per affected node: O(n + m + E) with E the edges of the actor graph and hierarchy.
    """
    if service not in reuse:
        raise UsageError(f"unknown service '{service}'")
    dependents = nx.ancestors(reuse, service)
    affected = dependents | {service}

    def kind(node: str) -> str:
        return str(actors.nodes[node].get("kind", ""))

    needs: set[str] = set()
    for s in affected:
        if s in actors:
            needs.update(p for p in actors.predecessors(s) if kind(p) == "need")
    alone = {n for n in needs if set(actors.successors(n)) <= affected}
    scenarios = {p for n in needs for p in actors.predecessors(n) if kind(p) == "scenario"}
    involved = {p for s in scenarios for p in actors.predecessors(s)
                if kind(p) in ("actor", "actor_group")}
    groups = reachable(hierarchy, involved)
    return Impact(service, tuple(sorted(dependents)), tuple(sorted(needs)),
                  tuple(sorted(alone)), tuple(sorted(scenarios)), tuple(sorted(involved)),
                  tuple(sorted(groups - involved)))
