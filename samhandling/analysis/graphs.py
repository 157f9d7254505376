"""Turn the RDF model into NetworkX graphs, one per question an architect asks of it.

Every analysis and every picture works on these graphs, never on RDF directly, so each
algorithm can be tested on a hand-made graph and the RDF is read exactly once, by
:func:`.index.index_model`. Nodes are IRI strings carrying the attributes the
:mod:`.index` lists (``kind``, ``label_nb``, ``group`` ...).

Edges carry ``relation``: the local name of the predicate they come from, or the inverse
reading where the edge points the other way (``realisedBy``, ``involvedIn``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx
from rdflib import Graph

from ..built import BuiltModel
from ..gcpause import no_gc_pauses
from ..namespaces import SAM
from ..schema import NODE_KINDS
from .index import NON_RELATIONS, ModelIndex, index_model

__all__ = [
    "BOOKKEEPING_KINDS",
    "ModelGraphs",
    "actor_graph",
    "actor_hierarchy",
    "form_graph",
    "model_graphs",
    "need_graph",
    "node_label",
    "programme_graph",
    "reachable",
    "relation_graph",
    "reuse_graph",
]

#: Kinds that classify or cite other resources (a figure is a number a source states about
#: something); they are never reported as orphans.
BOOKKEEPING_KINDS: frozenset[str] = frozenset(k.name for k in NODE_KINDS if k.bookkeeping)


def node_label(graph: nx.Graph, node: str, lang: str) -> str:
    """The label of ``node`` in ``lang`` (``nb`` or ``en``), or its id when it has none."""
    data = graph.nodes[node]
    return str(data.get(f"label_{lang}") or data.get("id") or node)


def _new(ix: ModelIndex, name: str, nodes: Iterable[str]) -> nx.DiGraph:
    graph: nx.DiGraph[str] = nx.DiGraph(name=name)
    graph.add_nodes_from((node, ix._shared(node)) for node in sorted(set(nodes)))
    return graph


def _add_edges(graph: nx.DiGraph, ix: ModelIndex, pairs: Iterable[tuple[str, str]],
               relation: str) -> None:
    pairs = list(pairs)
    known = set(graph)  # a set: the graph's own `in` is a Python call, 4x slower
    missing = sorted({n for pair in pairs for n in pair if n not in known})
    graph.add_nodes_from((node, ix._shared(node)) for node in missing)
    graph.add_edges_from(pairs, relation=relation)


def reuse_graph(ix: ModelIndex) -> nx.DiGraph:
    """Services and who reuses whom: an edge ``A -> B`` means A reuses information from B.

    Every service is a node, also those that reuse nothing. Edges come from ``sam:reuses`` and
    from ``sam:ReuseRelation`` records (``reusingService``/``reusedService``), so a model read
    from RDF without the derived shortcut still gives the same graph.
    """
    graph = _new(ix, "reuse", ix.of_kind("service"))
    relation_records: dict[str, dict[str, str]] = defaultdict(dict)
    for record, service in ix.pairs(SAM.reusingService):
        relation_records[record]["user"] = service
    for record, service in ix.pairs(SAM.reusedService):
        relation_records[record]["used"] = service
    pairs = set(ix.pairs(SAM.reuses))
    pairs |= {(r["user"], r["used"]) for r in relation_records.values()
              if "user" in r and "used" in r}
    _add_edges(graph, ix, sorted(pairs), "reuses")
    return graph


def need_graph(ix: ModelIndex) -> nx.DiGraph:
    """The service–need bipartite graph: ``service -> need`` for each ``sam:handlesNeed``.

    Every service and every information need is a node; ``bipartite`` is 0 for services and 1
    for needs (NetworkX's convention).
    """
    graph = _new(ix, "needs", ix.of_kind("service", "need"))
    _add_edges(graph, ix, ix.pairs(SAM.handlesNeed), "handlesNeed")
    for _node, data in graph.nodes(data=True):
        data["bipartite"] = 0 if data["kind"] == "service" else 1
    return graph


def actor_graph(ix: ModelIndex) -> nx.DiGraph:
    """Who reaches which service, as paths ``actor -> scenario -> need -> service``.

    The model has no direct actor–service relation: an actor is involved in a scenario
    (``sam:involvesActor``), a need arises in a scenario (``sam:arisesInScenario``) and a
    service handles the need (``sam:handlesNeed``). Edges point from actor towards service
    so "everything upstream of a service" is :func:`networkx.ancestors`. Every need and every
    service is a node; actors and scenarios appear when a relation names them.
    """
    graph = _new(ix, "actors", ix.of_kind("service", "need", "scenario"))
    _add_edges(graph, ix, ((a, s) for s, a in ix.pairs(SAM.involvesActor)),
               "involvedIn")
    _add_edges(graph, ix, ((s, n) for n, s in ix.pairs(SAM.arisesInScenario)),
               "hasNeed")
    _add_edges(graph, ix, ((n, s) for s, n in ix.pairs(SAM.handlesNeed)), "handledBy")
    return graph


def actor_hierarchy(ix: ModelIndex) -> nx.DiGraph:
    """Actors and actor groups: an edge ``member -> group`` for each ``sam:partOfActorGroup``."""
    graph = _new(ix, "actor-hierarchy", ix.of_kind("actor", "actor_group"))
    _add_edges(graph, ix, ix.pairs(SAM.partOfActorGroup), "partOfActorGroup")
    return graph


def form_graph(ix: ModelIndex) -> nx.DiGraph:
    """Services and collaboration forms: ``service -> organisational form -> technical form``.

    ``service -> form`` is ``sam:preferredCollaborationForm``; ``org form -> tech form`` reads
    ``sam:realisesForm`` backwards (``realisedBy``) so a service reaches the technical forms
    that can carry it. Every service and every form is a node.
    """
    graph = _new(ix, "forms", ix.of_kind("service", "org_form", "tech_form", "form"))
    _add_edges(graph, ix, ix.pairs(SAM.preferredCollaborationForm), "prefers")
    _add_edges(graph, ix, ((o, t) for t, o in ix.pairs(SAM.realisesForm)), "realisedBy")
    return graph


def programme_graph(ix: ModelIndex) -> nx.DiGraph:
    """The programme: ``programme -> step -> package/project``, ``package -> service/solution``.

    Only resources the programme relations name are nodes.
    """
    graph = _new(ix, "programme", ix.of_kind("programme", "step", "package", "project"))
    _add_edges(graph, ix, ((p, s) for s, p in ix.pairs(SAM.stepOf)), "hasStep")
    _add_edges(graph, ix, ((s, x) for x, s in ix.pairs(SAM.inStep)), "includes")
    _add_edges(graph, ix, ix.pairs(SAM.touchesService), "touchesService")
    _add_edges(graph, ix, ix.pairs(SAM.touchesSolution), "touchesSolution")
    return graph


def relation_graph(ix: ModelIndex) -> nx.Graph:
    """Every resource and every domain relation between two resources, undirected; nodes
    carry only ``kind`` (the graph exists to find what nothing reaches).

    A relation is any triple whose subject and object are both typed resources of the model,
    except the classifying, citing and bookkeeping predicates in
    :data:`.index.NON_RELATIONS`.
    Bookkeeping resources (sources, main groups, maturity ratings, ...) are left out.

    Notes
    -----
    O(N + R) for N resources and R relation triples.
    """
    nodes = sorted(n for n, k in ix.kinds.items() if k not in BOOKKEEPING_KINDS)
    relations: nx.Graph[str] = nx.Graph(name="relations")
    relations.add_nodes_from((node, {"kind": ix.kinds[node]}) for node in nodes)
    skip = {str(p) for p in NON_RELATIONS}
    known = set(nodes)  # a set: the adjacency view's Mapping `in` is 4x slower
    relations.add_edges_from((s, o) for predicate, pairs in ix.edges.items()
                             if predicate not in skip for s, o in pairs
                             if s != o and s in known and o in known)
    return relations


class ModelGraphs:
    """Every analysis graph of one model, each built on first use and then shared.

    ``graph services`` needs only the reuse graph; ``analyze`` needs them all. Tests may
    pass ready-made graphs as keyword arguments.
    """

    def __init__(self, index: ModelIndex, **graphs: nx.Graph) -> None:
        self.index = index
        self._graphs: dict[str, nx.Graph] = dict(graphs)

    def _get(self, name: str) -> Any:
        graph = self._graphs.get(name)
        if graph is None:
            with no_gc_pauses():  # a graph is a million small dicts and no cycles
                graph = self._graphs[name] = _BUILDERS[name](self.index)
        return graph

    @property
    def reuse(self) -> nx.DiGraph:
        return self._get("reuse")

    @property
    def needs(self) -> nx.DiGraph:
        return self._get("needs")

    @property
    def actors(self) -> nx.DiGraph:
        return self._get("actors")

    @property
    def hierarchy(self) -> nx.DiGraph:
        return self._get("hierarchy")

    @property
    def forms(self) -> nx.DiGraph:
        return self._get("forms")

    @property
    def programme(self) -> nx.DiGraph:
        return self._get("programme")

    @property
    def relations(self) -> nx.Graph:
        return self._get("relations")

    @property
    def services(self) -> list[str]:
        return self.index.of_kind("service")


_BUILDERS: dict[str, Callable[[ModelIndex], nx.Graph]] = {
    "reuse": reuse_graph, "needs": need_graph, "actors": actor_graph,
    "hierarchy": actor_hierarchy, "forms": form_graph, "programme": programme_graph,
    "relations": relation_graph,
}


def model_graphs(source: Graph | BuiltModel) -> ModelGraphs:
    """Index a model and make its analysis graphs available (each built on first use).

    Parameters
    ----------
    source : rdflib.Graph or BuiltModel
        The model graph, or the model as :func:`samhandling.build.load_model` returns it
        (faster: its triples are read without making an rdflib graph).

    Returns
    -------
    ModelGraphs
        The reuse, service–need, actor, actor-hierarchy, form, programme and relation graphs.

    Notes
    -----
    O(T) for T triples to index (:func:`index_model`); each graph then costs O(N + E) for
    its N nodes and E edges when first used.
    """
    return ModelGraphs(index_model(source))


def reachable(graph: nx.DiGraph, start: Iterable[str]) -> set[str]:
    """Every node reachable from any node of ``start`` by one or more edges.

    A node of ``start`` is in the result only when a path leads back to it.

    Notes
    -----
    One search from all starts at once (not one per start): O(n + m).
    """
    seen: set[str] = set()
    frontier = [node for node in start if node in graph]
    while frontier:
        for successor in graph.successors(frontier.pop()):
            if successor not in seen:
                seen.add(successor)
                frontier.append(successor)
    return seen
