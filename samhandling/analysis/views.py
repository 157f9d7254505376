"""The five pictures of the model (views) and the filters that cut them down to a slide.

A view is one of the analysis graphs, with a title in both languages. Filters choose *seed*
services (``--group``, ``--maturity``) and keep everything on a directed path through a seed,
so a group's picture still shows the services it reuses and the needs, scenarios and actors
that lead to it; services kept only as such context get ``context=True``. ``--focus`` cuts the
view to the neighbourhood of one service, ``depth`` steps in either direction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx

from ..errors import UsageError
from .graphs import ModelGraphs, reachable
from .impact import resolve_service

__all__ = ["DEFAULT_DEPTH", "VIEWS", "View", "view_graph"]


@dataclass(frozen=True)
class View:
    """One picture: which graph it draws, its titles and how far ``--focus`` reaches."""

    name: str
    graph: Callable[[ModelGraphs], nx.DiGraph]
    title_nb: str
    title_en: str
    #: steps from the focus service when ``--depth`` is not given
    depth: int
    #: layout direction for Graphviz (``LR`` or ``TB``)
    rankdir: str = "LR"


VIEWS: dict[str, View] = {v.name: v for v in (
    View("services", lambda m: m.reuse, "Gjenbruk mellom informasjonstjenestene",
         "Reuse between the information services", depth=1, rankdir="TB"),
    View("coverage", lambda m: m.needs, "Informasjonstjenester og informasjonsbehovene de dekker",
         "Information services and the information needs they cover", depth=2),
    View("actors", lambda m: m.actors, "Aktører, scenarioer, behov og informasjonstjenester",
         "Actors, scenarios, needs and information services", depth=3),
    View("forms", lambda m: m.forms, "Foretrukne samhandlingsformer for informasjonstjenestene",
         "Preferred collaboration forms of the information services", depth=2),
    View("programme", lambda m: m.programme,
         "Program digital samhandling: steg, pakker, tjenester og løsninger",
         "Programme for digital collaboration: steps, packages, services and solutions",
         depth=2),
)}
DEFAULT_DEPTH = {name: view.depth for name, view in VIEWS.items()}


def _view(name: str) -> View:
    if name not in VIEWS:
        raise UsageError(f"unknown view '{name}'; valid views: {', '.join(VIEWS)}")
    return VIEWS[name]


def _maturity(graphs: ModelGraphs, text: str) -> str:
    known = graphs.index.maturity_labels
    wanted = text.strip().casefold()
    for notation, labels in sorted(known.items()):
        if wanted in {notation.casefold(), labels.get("nb", "").casefold(),
                      labels.get("en", "").casefold()}:
            return notation
    valid = ", ".join(f"{n} ({known[n].get('en', n)})" for n in sorted(known)) or "none"
    raise UsageError(f"unknown maturity '{text}'; valid: {valid}")


def view_graph(graphs: ModelGraphs, name: str, *, group: int | None = None,
               maturity: str | None = None, focus: str | None = None,
               depth: int | None = None) -> nx.DiGraph:
    """The graph of view ``name`` cut down by the filters, ready for a renderer.

    Parameters
    ----------
    graphs : ModelGraphs
        The model's analysis graphs.
    name : str
        One of :data:`VIEWS`: ``services``, ``coverage``, ``actors``, ``forms``,
        ``programme``.
    group : int, optional
        Keep services of this main group (and what leads to or from them).
    maturity : str, optional
        Keep services of this 2023 maturity: notation (``R``) or name (``Rød``, ``Red``).
    focus : str, optional
        A service (label in either language, id or IRI); keep what lies within ``depth``
        steps of it, in either direction.
    depth : int, optional
        Steps from ``focus``; default per view (:data:`DEFAULT_DEPTH`).

    Returns
    -------
    networkx.DiGraph
        A copy; graph attributes ``view``, ``title_nb``, ``title_en``, ``filters_nb``,
        ``filters_en`` and ``rankdir``; service nodes outside the group/maturity filter that
        are kept as context have ``context=True``.

    Raises
    ------
    UsageError
        Unknown view, group, maturity or focus service, negative depth, or filters that leave
        no service.

    Notes
    -----
    O(n + m): one ego-graph search for ``focus`` and one forward and one backward search
    from the seed services.
    """
    view = _view(name)
    graph: nx.DiGraph = view.graph(graphs)
    index = graphs.index
    filters_nb: list[str] = []
    filters_en: list[str] = []
    if focus is not None:
        steps = view.depth if depth is None else depth
        if steps < 0:
            raise UsageError(f"--depth must be 0 or more, got {steps}")
        node = resolve_service(graphs.reuse, focus, index.alt_labels)
        if node not in graph:
            raise UsageError(f"service '{focus}' is not in the {name} view")
        graph = nx.ego_graph(graph, node, radius=steps, undirected=True)
        label_nb = graphs.reuse.nodes[node]["label_nb"]
        label_en = graphs.reuse.nodes[node]["label_en"]
        filters_nb.append(f"fokus: {label_nb} (dybde {steps})")
        filters_en.append(f"focus: {label_en} (depth {steps})")
    elif depth is not None:
        raise UsageError("--depth needs --focus SERVICE")
    matches: Callable[[dict], bool] = lambda data: True  # noqa: E731
    if group is not None or maturity is not None:
        if group is not None and group not in index.group_labels:
            valid = ", ".join(str(g) for g in sorted(index.group_labels)) or "none"
            raise UsageError(f"unknown main group {group}; valid groups: {valid}")
        notation = _maturity(graphs, maturity) if maturity is not None else None
        if group is not None:
            filters_nb.append(f"hovedgruppe {group}")
            filters_en.append(f"main group {group}")
        if notation is not None:
            filters_nb.append(f"modenhet {notation}")
            filters_en.append(f"maturity {notation}")

        def matches(data: dict) -> bool:
            return ((group is None or data.get("group") == group)
                    and (notation is None or data.get("maturity") == notation))

        seeds = {n for n, d in graph.nodes(data=True) if d.get("kind") == "service" and matches(d)}
        keep = seeds | reachable(graph, seeds) | reachable(graph.reverse(copy=False), seeds)
        if name == "programme":
            keep |= {s for n in list(keep) for s in graph.successors(n)
                     if graph.nodes[s].get("kind") != "service"}
        graph = graph.subgraph(keep)
    result: nx.DiGraph[str] = nx.DiGraph(graph)
    if not any(d.get("kind") == "service" for _, d in result.nodes(data=True)):
        raise UsageError(f"the filters leave no service in the {name} view")
    for _, data in result.nodes(data=True):
        data["context"] = bool(data.get("kind") == "service" and not matches(data))
    result.graph.clear()
    result.graph.update(view=name, title_nb=view.title_nb, title_en=view.title_en,
                        filters_nb=", ".join(filters_nb), filters_en=", ".join(filters_en),
                        rankdir=view.rankdir)
    return result
