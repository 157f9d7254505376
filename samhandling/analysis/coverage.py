"""How much of the target picture is in place: needs served, forms chosen, actors reached.

Three shares answer "how complete is the picture": needs that some service handles, services
with a preferred collaboration form, and actors that some service reaches (through a scenario
they are involved in and a need that arises there). Each is broken down per main group and per
2023 maturity, and step 2 is measured against the number of services the target picture
declares (26).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import networkx as nx

from .graphs import reachable

__all__ = ["Coverage", "CoverageRow", "Share", "Step2Coverage", "actor_reach", "coverage",
           "form_coverage", "need_coverage", "step2_coverage"]

ACTOR_KINDS = ("actor", "actor_group")
#: Maturity in reading order: green (little to do), yellow, red (new service).
MATURITY_ORDER = {"G": 0, "Y": 1, "R": 2}


@dataclass(frozen=True)
class Share:
    """``part`` of ``whole``; ``missing`` lists the nodes not counted in ``part``, sorted."""

    part: int
    whole: int
    missing: tuple[str, ...] = ()

    @property
    def ratio(self) -> float:
        """``part / whole``; 0.0 for an empty whole (nothing to cover is not covered)."""
        return self.part / self.whole if self.whole else 0.0


@dataclass(frozen=True)
class CoverageRow:
    """Coverage figures of the services sharing one main group or one maturity."""

    key: str
    services: int
    with_form: int
    #: needs that these services handle
    needs: int
    #: actors these services reach
    actors: int


@dataclass(frozen=True)
class Step2Coverage:
    """What the step-2 packages touch, measured against the declared service count."""

    #: package -> the services it touches (sorted)
    packages: tuple[tuple[str, tuple[str, ...]], ...]
    services: tuple[str, ...]
    declared: int
    #: services the touched ones reuse (transitively) but no package touches
    prerequisites: tuple[str, ...]
    needs: Share

    @property
    def share(self) -> Share:
        return Share(len(self.services), self.declared)


@dataclass(frozen=True)
class Coverage:
    needs: Share
    forms: Share
    actors: Share
    by_group: tuple[CoverageRow, ...]
    by_maturity: tuple[CoverageRow, ...]
    step2: Step2Coverage


def _of_kind(graph: nx.Graph, *kinds: str) -> list[str]:
    return sorted(n for n, d in graph.nodes(data=True) if d.get("kind") in kinds)


def need_coverage(needs: nx.DiGraph) -> Share:
    """Share of needs that at least one service handles.

    Parameters
    ----------
    needs : networkx.DiGraph
        The service–need graph: edge ``service -> need``; node attribute ``kind``.

    Returns
    -------
    Share
        Needs with an incoming edge from a service, of all needs; ``missing`` lists the rest.

    Notes
    -----
    O(n + m).
    """
    all_needs = _of_kind(needs, "need")
    missing = [n for n in all_needs
               if not any(needs.nodes[p].get("kind") == "service" for p in needs.predecessors(n))]
    return Share(len(all_needs) - len(missing), len(all_needs), tuple(missing))


def form_coverage(forms: nx.DiGraph, services: Iterable[str] | None = None) -> Share:
    """Share of services that have a preferred collaboration form.

    Parameters
    ----------
    forms : networkx.DiGraph
        Edge ``service -> organisational form`` for each preferred form.
    services : iterable of str, optional
        Count only these services (default: every ``kind == "service"`` node).

    Returns
    -------
    Share
        Services with at least one out-edge, of all services; ``missing`` lists those without.

    Notes
    -----
    O(n).
    """
    chosen = sorted(services) if services is not None else _of_kind(forms, "service")
    missing = [s for s in chosen if s not in forms or forms.out_degree(s) == 0]
    return Share(len(chosen) - len(missing), len(chosen), tuple(missing))


def actor_reach(actors: nx.DiGraph, hierarchy: nx.DiGraph,
                services: Iterable[str] | None = None) -> set[str]:
    """Actors (and actor groups) some of ``services`` reach.

    An actor is reached when it is involved in a scenario in which a need arises that one of
    the services handles. A group is reached when one of its members is (the group takes part
    through the member); members of an involved group are *not* counted, since the model
    does not say which of them take part.

    Parameters
    ----------
    actors : networkx.DiGraph
        Paths ``actor -> scenario -> need -> service``; node attribute ``kind``.
    hierarchy : networkx.DiGraph
        Edge ``member -> group``.
    services : iterable of str, optional
        Default: every service node of ``actors``.

    Returns
    -------
    set of str

    Notes
    -----
    One reverse search from all services at once, then one upward search from all reached
    actors at once: O(n + m) over the actor graph and the hierarchy.
    """
    start = set(services) if services is not None else set(_of_kind(actors, "service"))
    start &= set(actors)
    seen = reachable(actors.reverse(copy=False), start)
    reached = {n for n in seen if actors.nodes[n].get("kind") in ACTOR_KINDS}
    # Groups above the reached actors: one upward search from all of them at once.
    reached |= reachable(hierarchy, reached)
    return reached


def step2_coverage(programme: nx.DiGraph, needs: nx.DiGraph, reuse: nx.DiGraph,
                   declared: int | None = None) -> Step2Coverage:
    """What the step-2 packages cover of the target picture's services and needs.

    Parameters
    ----------
    programme : networkx.DiGraph
        Edge ``package -> service`` for every service a package touches (node kind
        ``package``).
    needs : networkx.DiGraph
        The service–need graph.
    reuse : networkx.DiGraph
        Edge ``A -> B`` when A reuses B; services the touched ones depend on are prerequisites.
    declared : int, optional
        Number of services the target picture declares (26); default: services in ``reuse``.

    Returns
    -------
    Step2Coverage

    Notes
    -----
    O(n + m) over the three graphs.
    """
    packages = []
    touched: set[str] = set()
    for package in _of_kind(programme, "package"):
        services = sorted(s for s in programme.successors(package)
                          if programme.nodes[s].get("kind") == "service")
        packages.append((package, tuple(services)))
        touched.update(services)
    prerequisites: set[str] = set()
    for service in touched:
        if service in reuse:
            prerequisites |= nx.descendants(reuse, service)
    covered = {n for s in touched if s in needs for n in needs.successors(s)}
    all_needs = _of_kind(needs, "need")
    whole = declared if declared is not None else len(_of_kind(reuse, "service"))
    return Step2Coverage(
        tuple(packages), tuple(sorted(touched)), whole, tuple(sorted(prerequisites - touched)),
        Share(len(covered), len(all_needs), tuple(n for n in all_needs if n not in covered)),
    )


def _need_reach(actors: nx.DiGraph, hierarchy: nx.DiGraph) -> dict[str, frozenset[str]]:
    """need -> the actors (with the groups above them) of the scenarios it arises in.

    What :func:`actor_reach` finds for a set of services is the union of this over the
    needs they handle; computing it once per need makes the per-group and per-maturity
    figures O(needs handled) each instead of one graph search each."""
    above: dict[str, frozenset[str]] = {}

    def closure(actor: str) -> frozenset[str]:
        found = above.get(actor)
        if found is None:
            result = {actor}
            above[actor] = frozenset(result)  # a cycle in the hierarchy stops here
            for group in (hierarchy.successors(actor) if actor in hierarchy else ()):
                result |= closure(group)
            found = above[actor] = frozenset(result)
        return found

    reach: dict[str, frozenset[str]] = {}
    kind = dict(actors.nodes(data="kind"))  # plain lookups: this loop sees every need
    before = actors.pred
    for need, need_kind in kind.items():
        if need_kind != "need":
            continue
        involved: set[str] = set()
        for scenario in before[need]:
            if kind[scenario] != "scenario":
                continue
            for actor in before[scenario]:
                if kind[actor] in ACTOR_KINDS:
                    involved |= closure(actor)
        reach[need] = frozenset(involved)
    return reach


def _rows(services: list[str], key: Callable[[str], str], needs: nx.DiGraph,
          forms: nx.DiGraph, reach: dict[str, frozenset[str]]) -> tuple[CoverageRow, ...]:
    buckets: dict[str, list[str]] = {}
    for service in services:
        buckets.setdefault(key(service), []).append(service)
    rows = []
    for value in sorted(buckets, key=lambda v: (v == "", MATURITY_ORDER.get(v, 9), v.zfill(4))):
        members = buckets[value]
        handled = {n for s in members if s in needs for n in needs.successors(s)}
        reached: set[str] = set()
        for need in handled:
            reached |= reach.get(need, frozenset())
        rows.append(CoverageRow(value, len(members), form_coverage(forms, members).part,
                                len(handled), len(reached)))
    return tuple(rows)


def coverage(reuse: nx.DiGraph, needs: nx.DiGraph, forms: nx.DiGraph, actors: nx.DiGraph,
             hierarchy: nx.DiGraph, programme: nx.DiGraph,
             declared: int | None = None) -> Coverage:
    """Every coverage figure of the model, overall, per main group and per maturity.

    Parameters
    ----------
    reuse, needs, forms, actors, hierarchy, programme : networkx.DiGraph
        The graphs of :class:`samhandling.analysis.graphs.ModelGraphs`; service nodes carry
        ``group`` (int, 0 = none) and ``maturity`` (``G``/``Y``/``R`` or ``""``).
    declared : int, optional
        The target picture's declared service count, for step 2.

    Returns
    -------
    Coverage
        ``by_group`` keys are group numbers as text ("1".."7", "" for none); ``by_maturity``
        keys are notations in the order G, Y, R (then others, "" for none last).

    Notes
    -----
    O(n + m) for the actor reach of every need once, then O(handled needs × actors reached
    per need) for each main group and maturity value.
    """
    services = _of_kind(reuse, "service")
    everyone = set(_of_kind(hierarchy, *ACTOR_KINDS)) | set(_of_kind(actors, *ACTOR_KINDS))
    reached = actor_reach(actors, hierarchy, services) & everyone
    reach = _need_reach(actors, hierarchy)
    return Coverage(
        needs=need_coverage(needs),
        forms=form_coverage(forms, services),
        actors=Share(len(reached), len(everyone), tuple(sorted(everyone - reached))),
        by_group=_rows(services, lambda s: str(reuse.nodes[s].get("group") or ""), needs,
                       forms, reach),
        by_maturity=_rows(services, lambda s: str(reuse.nodes[s].get("maturity") or ""),
                          needs, forms, reach),
        step2=step2_coverage(programme, needs, reuse, declared),
    )
