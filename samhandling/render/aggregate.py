"""A view too large to read on a slide, drawn as its main groups instead.

A view of 1,150 services drawn in full on a slide is a grey blur. A services view whose
labels would fall below 12 pt (from about 30 services), and any view past
:data:`AGGREGATE_LIMIT` nodes, is drawn as one box per main group (and one per other kind
of node), named with how many nodes it stands for, and one arrow per pair of boxes whose
weight is the number of links between them (for the services view: reuse links). The
caller says so on standard error; ``--no-aggregate`` asks for the full drawing anyway.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import networkx as nx

from ..schema import NODE_KINDS
from .style import node_text

__all__ = ["AGGREGATE_KIND", "AGGREGATE_LIMIT", "BY_LABEL_SIZE", "aggregate", "fit_for_slide",
           "needs_aggregation"]

#: Views with more nodes than this are drawn aggregated to main groups on a slide.
AGGREGATE_LIMIT = 150
#: Views aggregated as soon as their labels would fall below 12 pt: services only, whose
#: main-group picture keeps its meaning (arrows weighted by reuse links). The other views
#: chain kinds (actor, scenario, need, service) that merged boxes would lose; they are
#: aggregated past :data:`AGGREGATE_LIMIT` nodes.
BY_LABEL_SIZE = frozenset({"services"})
#: The kind of an aggregate's nodes: one main group's services, or all nodes of one kind.
AGGREGATE_KIND = "aggregate"

_KINDS = {kind.name: kind for kind in NODE_KINDS}
_WORDS = {
    "nb": ("tjenester", "Uten hovedgruppe", "sammenstilt per hovedgruppe"),
    "en": ("services", "No main group", "aggregated to main groups"),
}


def needs_aggregation(view: nx.DiGraph) -> bool:
    """True when ``view`` has more nodes than a slide shows readably."""
    return view.number_of_nodes() > AGGREGATE_LIMIT


def _bucket(data: dict) -> str:
    if data.get("kind") == "service":
        return f"group{int(data.get('group') or 0)}"
    return f"kind-{data.get('kind')}"


def aggregate(view: nx.DiGraph) -> nx.DiGraph:
    """``view`` with its services merged per main group and other nodes merged per kind.

    Every node gets ``kind`` :data:`AGGREGATE_KIND`, ``group`` (the main group, 0 for a kind's
    box), ``count`` and labels in both languages ("3 Anmode om … (212 tjenester)"); every
    edge gets ``weight``: how many edges of ``view`` run between the two boxes (links inside
    one box are left out), and the relation of those edges. Graph attributes are kept, the
    titles marked as aggregated, and ``aggregated`` set to the original node count.

    Notes
    -----
    O(n + m).
    """
    members: dict[str, list[str]] = {}
    for node, data in view.nodes(data=True):
        members.setdefault(_bucket(data), []).append(node)
    result: nx.DiGraph[str] = nx.DiGraph()
    result.graph.update(view.graph)
    for lang, (_, _, marker) in _WORDS.items():
        title = str(view.graph.get(f"title_{lang}", ""))
        result.graph[f"title_{lang}"] = f"{title} ({marker})" if title else marker
    result.graph["aggregated"] = view.number_of_nodes()
    for key in sorted(members):
        nodes = members[key]
        first = view.nodes[nodes[0]]
        attrs: dict[str, object] = {"kind": AGGREGATE_KIND, "id": key, "count": len(nodes),
                                    "group": 0, "maturity": "", "code": ""}
        for lang, (services, no_group, _) in _WORDS.items():
            if key.startswith("group"):
                group = int(key.removeprefix("group"))
                name = str(first.get(f"group_label_{lang}") or "") if group else no_group
                text = f"{group} {name}" if group else name
                attrs["group"] = group
                attrs[f"group_label_{lang}"] = str(first.get(f"group_label_{lang}") or "")
                attrs[f"label_{lang}"] = f"{text} ({len(nodes)} {services})"
            else:
                kind = _KINDS.get(str(first.get("kind")))
                plural = (kind.plural_nb if lang == "nb" else kind.plural_en) if kind else \
                    node_text(view, nodes[0], lang) + " …"
                attrs[f"label_{lang}"] = f"{plural} ({len(nodes)})"
                attrs["inner_kind"] = str(first.get("kind"))
        result.add_node(key, **attrs)
    bucket_of = {node: _bucket(data) for node, data in view.nodes(data=True)}
    weights: Counter[tuple[str, str]] = Counter()
    relations: dict[tuple[str, str], str] = {}
    for source, target, data in view.edges(data=True):
        pair = (bucket_of[source], bucket_of[target])
        if pair[0] != pair[1]:
            weights[pair] += 1
            relations.setdefault(pair, str(data.get("relation", "")))
    for (source, target), weight in sorted(weights.items()):
        result.add_edge(source, target, weight=weight, relation=relations[(source, target)])
    return result


def fit_for_slide(view: nx.DiGraph, *, allowed: bool = True,
                  readable: Callable[[nx.DiGraph], bool] | None = None,
                  ) -> tuple[nx.DiGraph, str | None]:
    """``view`` as a slide shows it, and the one line that says what the slide could not do
    (None when nothing): aggregated when it is too large (and ``allowed``), else unchanged.

    Too large: more than :data:`AGGREGATE_LIMIT` nodes; for the views of
    :data:`BY_LABEL_SIZE` also (when ``readable`` is given, a check that lays the view out)
    labels that would fall below 12 pt. Any other view whose labels fall below 12 pt is kept
    whole (merging its nodes would lose the chain it shows) and the line says so."""
    if view.number_of_nodes() <= 1:
        return view, None
    name = view.graph.get("view", "the")
    if allowed and needs_aggregation(view):  # no layout needed to know
        merged = _merged(view)
        if merged is not None:
            return merged
    small = readable is not None and not readable(view)
    if allowed and small and view.graph.get("view") in BY_LABEL_SIZE:
        merged = _merged(view)
        if merged is not None:
            return merged
    if small:
        return view, (f"note: the {name} view's labels fall below 12 pt on a slide "
                      f"({view.number_of_nodes()} nodes); --group, --focus or --maturity "
                      "draws a part of it")
    return view, None


def _merged(view: nx.DiGraph) -> tuple[nx.DiGraph, str] | None:
    """``view`` aggregated to main groups and the line that says so; None when that would
    not make it smaller."""
    merged = aggregate(view)
    if merged.number_of_nodes() >= view.number_of_nodes():
        return None
    groups = sum(1 for _, d in merged.nodes(data=True) if int(d.get("group") or 0))
    name = view.graph.get("view", "the")
    return merged, (f"note: the {name} view has {view.number_of_nodes()} nodes, too many to "
                    f"read on a slide (labels below 12 pt): drawn as {groups} main groups "
                    f"with {merged.number_of_edges()} weighted links; --no-aggregate draws "
                    "every node")
