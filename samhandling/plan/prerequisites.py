"""Which items must come before which: derived from the graph, plus the explicit ``requires``.

An item A needs, for each service s it delivers and each service t that s reuses
(``sam:reuses``) and A does not deliver itself, one of the estimated items that deliver t;
and for each solution it needs (``sam:touchesSolution``), one of the estimated items that
deliver that solution (the solution itself, when it has an estimate). Several deliverers make
a group of alternatives: any one of them will do. A prerequisite no estimated item delivers
is taken as already in place, and the report lists it. A cycle among prerequisites is an
error that names the cycle.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from samhandling.errors import ModelLoadError, Problem

from .estimates import Place
from .facts import ModelFacts, short_id


@dataclass(frozen=True)
class InPlace:
    """A prerequisite taken as already in place: ``item`` needs ``needed`` (a service, a
    solution or an item), which no estimated item delivers."""

    item: str
    needed: str
    via: str  # "reuse", "solution" or "requires"


@dataclass(frozen=True)
class Prerequisites:
    """Per item IRI: groups of alternatives, and which ids were explicit or derived."""

    groups: dict[str, tuple[tuple[str, ...], ...]]
    explicit: dict[str, tuple[str, ...]]
    derived: dict[str, tuple[str, ...]]
    in_place: tuple[InPlace, ...]


def derive(facts: ModelFacts, estimated: Sequence[str],
           requires: Mapping[str, Sequence[tuple[str, Place]]],
           places: Mapping[str, Place]) -> Prerequisites:
    """The prerequisites of every estimated item.

    Raises
    ------
    ModelLoadError
        Prerequisites form a cycle (one problem per cycle, at the first item's row).
    """
    planned = set(estimated)
    service_by: dict[str, set[str]] = {}
    for item in sorted(planned):
        for service in facts.delivers.get(item, ()):
            service_by.setdefault(service, set()).add(item)
    solution_by = {item: {item} for item in planned if facts.items.get(item) == "solution"}
    groups: dict[str, set[tuple[str, ...]]] = {}
    explicit: dict[str, tuple[str, ...]] = {}
    derived: dict[str, set[str]] = {}
    in_place: set[InPlace] = set()
    for item in sorted(planned):
        own = facts.delivers.get(item, frozenset())
        found: set[tuple[str, ...]] = set()
        for service in sorted(own):
            for target in sorted(facts.reuses.get(service, ())):
                if target in own:
                    continue
                members = tuple(sorted(service_by.get(target, set()) - {item}))
                if members:
                    found.add(members)
                else:
                    in_place.add(InPlace(item, target, "reuse"))
        for solution in sorted(facts.needs_solutions.get(item, ())):
            members = tuple(sorted(solution_by.get(solution, set()) - {item}))
            if members:
                found.add(members)
            else:
                in_place.add(InPlace(item, solution, "solution"))
        derived[item] = {m for group in found for m in group}
        mine: list[str] = []
        for needed, _place in requires.get(item, ()):
            if needed in planned and needed != item:
                found.add((needed,))
                mine.append(needed)
            elif needed not in planned:
                in_place.add(InPlace(item, needed, "requires"))
        explicit[item] = tuple(sorted(set(mine)))
        # a group holding all of a smaller group's members says nothing more
        groups[item] = {g for g in found
                        if not any(set(o) < set(g) for o in found)}
    _check_cycles(groups, places)
    return Prerequisites(
        groups={i: tuple(sorted(g)) for i, g in sorted(groups.items())},
        explicit=explicit,
        derived={i: tuple(sorted(d)) for i, d in sorted(derived.items())},
        in_place=tuple(sorted(in_place, key=lambda p: (p.item, p.needed, p.via))))


def _check_cycles(groups: Mapping[str, set[tuple[str, ...]]],
                  places: Mapping[str, Place]) -> None:
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(sorted(groups))
    for item, found in sorted(groups.items()):
        for group in sorted(found):
            for member in group:
                graph.add_edge(item, member)
    problems: list[Problem] = []
    for component in sorted(nx.strongly_connected_components(graph), key=min):
        if len(component) < 2 and not any(graph.has_edge(n, n) for n in component):
            continue
        start = min(component)
        cycle = nx.find_cycle(graph.subgraph(component), source=start)
        names = [short_id(edge[0]) for edge in cycle] + [short_id(cycle[-1][1])]
        place = places.get(start)
        problems.append(Problem(place.file if place else "estimates",
                                place.line if place else None,
                                "prerequisites form a cycle: " + " -> ".join(names),
                                place.sheet if place else None))
    if problems:
        raise ModelLoadError(problems)


__all__ = ["InPlace", "Prerequisites", "derive"]
