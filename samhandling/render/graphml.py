"""GraphML for yEd and Gephi: every node and edge attribute kept, plus a ``label``.

Gephi shows the ``label`` attribute as the node's name; in yEd, *Edit → Properties Mapper*
maps ``label`` (and ``group``, ``maturity`` for colours) onto the drawing. Keys are named
after the attributes (``named_key_ids``) so the file reads well by hand.
"""

from __future__ import annotations

import networkx as nx

from .style import node_text

__all__ = ["to_graphml"]


def _plain(view: nx.DiGraph, lang: str) -> nx.DiGraph:
    """A copy with sorted nodes and edges (stable bytes) and a ``label`` in ``lang``."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.graph.update({k: v for k, v in sorted(view.graph.items())
                        if isinstance(v, str | int | float | bool)})
    graph.graph["lang"] = lang
    for node in sorted(view):
        data = dict(sorted(view.nodes[node].items()))
        data["label"] = node_text(view, node, lang)
        graph.add_node(node, **data)
    for source, target in sorted(view.edges()):
        graph.add_edge(source, target, **dict(sorted(view.edges[source, target].items())))
    return graph


def to_graphml(view: nx.DiGraph, lang: str = "nb") -> bytes:
    """The view as GraphML (UTF-8), loadable with :func:`networkx.read_graphml`.

    Notes
    -----
    O(n + m).
    """
    text = "\n".join(nx.generate_graphml(_plain(view, lang), named_key_ids=True))
    return (text + "\n").encode("utf-8")
