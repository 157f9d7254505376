"""Node-link JSON for web tools (D3, Cytoscape.js, vis-network): ``nodes`` and ``links``.

The same structure :func:`networkx.node_link_data` writes, with ``links`` (D3's word) for the
edges, every attribute of the view, a ``label`` in the chosen language, sorted keys and
nodes, so the same view gives the same bytes.
"""

from __future__ import annotations

import json

import networkx as nx

from .graphml import _plain

__all__ = ["to_node_link"]


def to_node_link(view: nx.DiGraph, lang: str = "nb") -> bytes:
    """The view as node-link JSON; :func:`networkx.node_link_graph` (``edges="links"``)
    reads it back.

    Notes
    -----
    O(n + m).
    """
    data = nx.node_link_data(_plain(view, lang), edges="links")
    return (json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode()
