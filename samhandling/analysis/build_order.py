"""Build order: which services must exist before which, as layers of the reuse graph.

A service that reuses information from another cannot be finished before that one delivers.
Layer 0 holds services that reuse nothing; layer *k* holds services whose every reused
service sits in a lower layer. Services that reuse each other in a circle cannot be ordered:
they are reported as cycles and share one layer, so the rest of the order still holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

__all__ = ["BuildOrder", "Cycle", "build_order"]


@dataclass(frozen=True, order=True)
class Cycle:
    """Services that depend on each other in a circle.

    ``members`` is the whole strongly connected component (sorted); ``example`` one closed
    path through it, starting at its smallest node (``a -> b -> a`` is ``["a", "b"]``).
    """

    members: tuple[str, ...]
    example: tuple[str, ...]


@dataclass(frozen=True)
class BuildOrder:
    """Layers (lists of nodes, sorted) from first to build to last, and the cycles found."""

    layers: tuple[tuple[str, ...], ...]
    cycles: tuple[Cycle, ...]

    def layer_of(self, node: str) -> int:
        for number, layer in enumerate(self.layers):
            if node in layer:
                return number
        raise KeyError(node)


def _example_cycle(graph: nx.DiGraph, members: set[str]) -> tuple[str, ...]:
    start = min(members)
    sub = graph.subgraph(members)
    # Shortest way back to the start: the cycle a reader can check by hand.
    best: list[str] | None = None
    for successor in sorted(sub.successors(start)):
        if successor == start:
            return (start,)
        path = nx.shortest_path(sub, successor, start)
        if best is None or len(path) < len(best):
            best = path
    assert best is not None
    return (start, *best[:-1])


def build_order(reuse: nx.DiGraph) -> BuildOrder:
    """Topological layers of a reuse graph (``A -> B``: A reuses B, so B comes first).

    Parameters
    ----------
    reuse : networkx.DiGraph
        Edge ``A -> B`` when A reuses information from B. Self-loops count as cycles.

    Returns
    -------
    BuildOrder
        ``layers[0]`` are the nodes that reuse nothing; every node's reused nodes lie in
        earlier layers, except inside a cycle, whose members share the layer of the cycle.
        ``cycles`` lists each strongly connected component with more than one node (or a
        self-loop), sorted.

    Examples
    --------
    >>> g = nx.DiGraph([("summary", "plan"), ("plan", "journal"), ("lab", "journal")])
    >>> build_order(g).layers
    (('journal',), ('lab', 'plan'), ('summary',))

    Notes
    -----
    Condenses strongly connected components (Tarjan) and takes the topological generations
    of the condensation: O(n + m) for n services and m reuse edges. Finding an example path
    through each cycle adds O(c * (n_c + m_c)) for a component of n_c nodes and c out-edges
    of its first node.
    """
    condensed = nx.condensation(reuse)
    members: dict[int, set[str]] = {c: set(d["members"]) for c, d in condensed.nodes(data=True)}
    # condensation keeps edge direction user -> used; build order needs used -> user.
    order = condensed.reverse(copy=False)
    layers = []
    for generation in nx.topological_generations(order):
        nodes = sorted(n for c in generation for n in members[c])
        layers.append(tuple(nodes))
    cycles = []
    for component in members.values():
        first = next(iter(component))
        if len(component) > 1 or reuse.has_edge(first, first):
            cycles.append(Cycle(tuple(sorted(component)), _example_cycle(reuse, component)))
    return BuildOrder(tuple(layers), tuple(sorted(cycles)))
