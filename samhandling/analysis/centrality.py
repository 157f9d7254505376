"""Which services the rest depend on most: direct reusers, all dependents, betweenness.

A service many others reuse is where a delay hurts most; a service that lies on many reuse
chains (high betweenness) is a bottleneck even if few reuse it directly. Services nothing
depends on can be delivered or postponed alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

__all__ = ["Centrality", "ServiceCentrality", "dependency_centrality", "dependent_counts",
           "nothing_depends_on"]

#: Above this many nodes betweenness is estimated from ``samples`` sources, not computed exactly.
EXACT_LIMIT = 500
SAMPLES = 100


@dataclass(frozen=True)
class ServiceCentrality:
    """How much the rest depends on one service."""

    node: str
    #: services that reuse it directly
    in_degree: int
    #: services that reuse it directly or through others
    dependents: int
    #: normalised betweenness on the reuse graph (0..1)
    betweenness: float


@dataclass(frozen=True)
class Centrality:
    """Every service's figures, most depended-on first, and how betweenness was computed."""

    rows: tuple[ServiceCentrality, ...]
    approximate: bool
    #: number of sample sources when ``approximate``, else ``None``
    samples: int | None
    seed: int


def dependent_counts(reuse: nx.DiGraph) -> dict[str, int]:
    """For every node, how many nodes reach it (reuse it directly or transitively).

    Parameters
    ----------
    reuse : networkx.DiGraph
        Edge ``A -> B`` when A reuses B.

    Returns
    -------
    dict
        node -> number of its ancestors (itself excluded, also inside a cycle).

    Examples
    --------
    >>> dependent_counts(nx.DiGraph([("a", "b"), ("b", "c"), ("d", "c")]))
    {'a': 0, 'b': 1, 'c': 3, 'd': 0}

    Notes
    -----
    Propagates ancestor sets as integer bitsets along the condensation in topological order:
    O(n + m) set unions of n-bit integers, i.e. O((n + m) * n / w) for machine word size w,
    instead of one graph search per node (O(n * (n + m))). 2,000 services take milliseconds.
    """
    condensed = nx.condensation(reuse)
    members = {c: d["members"] for c, d in condensed.nodes(data=True)}
    position = {n: i for i, n in enumerate(reuse)}
    bit = {c: sum(1 << position[n] for n in members[c]) for c in condensed}
    ancestors: dict[int, int] = {}
    for c in nx.topological_sort(condensed):
        acc = 0
        for p in condensed.predecessors(c):
            acc |= ancestors[p] | bit[p]
        ancestors[c] = acc
    counts = {}
    for c, nodes in members.items():
        base = ancestors[c].bit_count() + len(nodes) - 1
        for n in nodes:
            counts[n] = base
    return dict(sorted(counts.items()))


def nothing_depends_on(reuse: nx.DiGraph) -> list[str]:
    """Nodes no other node reuses (in-degree 0), sorted.

    Notes
    -----
    O(n).
    """
    return sorted(n for n in reuse if reuse.in_degree(n) == 0)


def dependency_centrality(reuse: nx.DiGraph, *, exact_limit: int = EXACT_LIMIT,
                          samples: int = SAMPLES, seed: int = 0) -> Centrality:
    """In-degree, transitive dependents and betweenness of every node of a reuse graph.

    Parameters
    ----------
    reuse : networkx.DiGraph
        Edge ``A -> B`` when A reuses B.
    exact_limit : int
        Graphs with more nodes get approximate betweenness from ``samples`` source nodes.
    samples : int
        Sample size for the approximation (Brandes–Pich); ignored below ``exact_limit``.
    seed : int
        Seed of the sample, so the same model gives the same figures.

    Returns
    -------
    Centrality
        Rows sorted by dependents, then in-degree, then betweenness (all descending), then
        node; ``approximate`` says whether betweenness was sampled.

    Examples
    --------
    >>> c = dependency_centrality(nx.DiGraph([("a", "b"), ("b", "c")]))
    >>> [(r.node, r.in_degree, r.dependents, round(r.betweenness, 2)) for r in c.rows]
    [('c', 1, 2, 0.0), ('b', 1, 1, 0.5), ('a', 0, 0, 0.0)]

    Notes
    -----
    In-degree O(n); dependents O((n + m) * n / w), see :func:`dependent_counts`; exact
    betweenness (Brandes) O(n * m), sampled O(k * m) for k samples, which keeps 2,000
    services under a second.
    """
    approximate = len(reuse) > exact_limit
    k = min(samples, len(reuse)) if approximate else None
    between = nx.betweenness_centrality(reuse, k=k, seed=seed if approximate else None)
    dependents = dependent_counts(reuse)
    rows = [ServiceCentrality(n, reuse.in_degree(n), dependents[n], between[n]) for n in reuse]
    rows.sort(key=lambda r: (-r.dependents, -r.in_degree, -r.betweenness, r.node))
    return Centrality(tuple(rows), approximate, k, seed)
