"""Orphans: resources of the model that no domain relation reaches.

A service that handles no need, reuses and is reused by nothing, has no preferred form and no
package touches it is written down but plays no part in the picture; the same holds for a
scenario no need arises in or a principle nothing refers to. Such resources are usually a
forgotten relation, sometimes a real gap of the target picture.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

__all__ = ["orphans", "orphans_by_kind"]


def orphans(relations: nx.Graph) -> list[str]:
    """Nodes with no relation at all, sorted.

    Parameters
    ----------
    relations : networkx.Graph
        Every resource and every domain relation (see
        :func:`samhandling.analysis.graphs.relation_graph`, which leaves out typing,
        provenance and classification such as main group and maturity).

    Returns
    -------
    list of str

    Examples
    --------
    >>> g = nx.Graph([("a", "b")]); g.add_node("c")
    >>> orphans(g)
    ['c']

    Notes
    -----
    O(n): one degree lookup per node.
    """
    return sorted(nx.isolates(relations))


def orphans_by_kind(relations: nx.Graph) -> dict[str, list[str]]:
    """:func:`orphans` grouped by the node attribute ``kind`` (kinds and nodes sorted).

    Notes
    -----
    O(n).
    """
    grouped: dict[str, list[str]] = defaultdict(list)
    for node in orphans(relations):
        grouped[str(relations.nodes[node].get("kind", "other"))].append(node)
    return dict(sorted(grouped.items()))
