"""The exported views: the services overview and one per main group, placed where ``samhandling
graph services`` (``--group N``) places them.

The positions come from :func:`samhandling.render.layout.layout` (inches from the top left, y
down) and become integer pixels at :data:`PX_PER_INCH`. A main group's frame becomes a node of
the group's Grouping element with its services nested inside (absolute coordinates, as the
exchange format has them); a frame of services without a group (or the unconnected ones) a
Container. Nodes come before connections, as Archi demands.

A view of more than :data:`LAYOUT_LIMIT` nodes is not sent to Graphviz (it would take minutes
and give an unreadable picture): its services are set out in a grid by main group instead, so
a national-size export stays within seconds.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable

import networkx as nx
from rdflib import Graph, Literal

from ..analysis.graphs import ModelGraphs, model_graphs
from ..analysis.views import VIEWS, view_graph
from ..built import BuiltModel
from ..errors import UsageError
from ..namespaces import SAM
from ..safetext import xml_safe
from .exchange import Connection, LangText, View, ViewNode
from .mapping import identifier

PX_PER_INCH = 96
#: Views with more nodes are laid out as a grid, not by Graphviz.
LAYOUT_LIMIT = 150
_GRID = (150, 60, 20)  # node width, height, gap in pixels


def _px(value: float) -> int:
    return max(0, round(value * PX_PER_INCH))


def _label(lines: tuple[str, ...] | list[str]) -> str:
    from xml.sax.saxutils import escape

    text = escape(xml_safe(" ".join(" ".join(lines).split())))
    return f'<label xml:lang="nb">{text}</label>' if text else ""


def _group_elements(graph: Graph) -> dict[int, str]:
    """Main-group number -> the identifier of its Grouping element."""
    found: dict[int, str] = {}
    for s, o in graph.subject_objects(SAM.groupNumber):
        if isinstance(o, Literal) and str(o).isdigit():
            found.setdefault(int(str(o)), identifier(str(s)))
    return found


def _laid_out(view: nx.DiGraph, prefix: str, elements: set[str],
              groups: dict[int, str]) -> tuple[list[ViewNode], dict[str, str]]:
    """Nodes placed by Graphviz; returns them and view node key -> node identifier."""
    from ..render.layout import layout
    from ..render.options import DotOptions

    placed = layout(view, DotOptions(lang="nb"))
    ids: dict[str, str] = {}

    def node_of(key: str) -> ViewNode | None:
        ident = identifier(key)
        if ident not in elements:
            return None
        box = placed.node(key).box
        ids[key] = f"{prefix}.{ident}"
        return ViewNode(ids[key], "Element", _px(box.left), _px(box.top), _px(box.width),
                        _px(box.height), ref=ident)

    framed: set[str] = set()
    nodes: list[ViewNode] = []
    for frame in placed.frames:
        children = tuple(n for n in map(node_of, frame.members) if n is not None)
        framed.update(frame.members)
        number = frame.key.removeprefix("group")
        box = frame.box
        bounds = (_px(box.left), _px(box.top), _px(box.width), _px(box.height))
        group = groups.get(int(number)) if number.isdigit() else None
        if group is not None and group in elements:
            nodes.append(ViewNode(f"{prefix}.frame.{group}", "Element", *bounds, ref=group,
                                  children=children))
        else:
            nodes.append(ViewNode(f"{prefix}.frame.{frame.key}", "Container", *bounds,
                                  extra=_label(frame.lines), children=children))
    for item in placed.nodes:
        if item.node not in framed:
            node = node_of(item.node)
            if node is not None:
                nodes.append(node)
    return nodes, ids


def _grid(view: nx.DiGraph, prefix: str, elements: set[str],
          groups: dict[int, str]) -> tuple[list[ViewNode], dict[str, str]]:
    """Services in rows by main group, each group in a frame of its Grouping element."""
    width, height, gap = _GRID
    by_group: dict[int, list[str]] = defaultdict(list)
    for key, data in view.nodes(data=True):
        if identifier(key) in elements:
            by_group[int(data.get("group") or 0)].append(key)
    nodes: list[ViewNode] = []
    ids: dict[str, str] = {}
    top = gap
    for number in sorted(by_group):
        keys = sorted(by_group[number])
        columns = max(1, math.ceil(math.sqrt(len(keys) * 3)))
        rows = math.ceil(len(keys) / columns)
        children = []
        for i, key in enumerate(keys):
            ids[key] = f"{prefix}.{identifier(key)}"
            children.append(ViewNode(ids[key], "Element", gap * 2 + (i % columns) * (width + gap),
                                     top + 40 + (i // columns) * (height + gap), width, height,
                                     ref=identifier(key)))
        frame_w = gap * 3 + columns * (width + gap)
        frame_h = 40 + rows * (height + gap) + gap
        group = groups.get(number)
        if group is not None and group in elements:
            nodes.append(ViewNode(f"{prefix}.frame.{group}", "Element", gap, top, frame_w,
                                  frame_h, ref=group, children=tuple(children)))
        else:
            nodes.append(ViewNode(f"{prefix}.frame.group{number}", "Container", gap, top,
                                  frame_w, frame_h, extra=_label([f"{number}"]),
                                  children=tuple(children)))
        top += frame_h + gap
    return nodes, ids


def _view(view: nx.DiGraph, ident: str, names: tuple[LangText, ...], elements: set[str],
          groups: dict[int, str], serving: dict[tuple[str, str], str]) -> View:
    place = _laid_out if len(view) <= LAYOUT_LIMIT else _grid
    nodes, ids = place(view, ident, elements, groups)
    connections = []
    for user, used in sorted(view.edges()):
        rel = serving.get((used, user))
        if rel is None or used not in ids or user not in ids:
            continue
        connections.append(Connection(f"{ident}.{rel}", "Relationship", ids[used], ids[user],
                                      ref=rel))
    return View(ident, names, nodes=tuple(nodes), connections=tuple(connections))


def view_maker(model: BuiltModel, graph: Graph) -> Callable[[set[str],
                                                             dict[tuple[str, str], str]],
                                                            list[View]]:
    """What :func:`samhandling.archimate.export.to_exchange` calls to make the views;
    ``graph`` is ``model.graph``, made once by the caller (it takes seconds at 100k)."""

    def make(elements: set[str], serving: dict[tuple[str, str], str]) -> list[View]:
        graphs: ModelGraphs = model_graphs(model)
        services = [key for key in graphs.reuse if identifier(key) in elements]
        if not services:
            return []
        groups = _group_elements(graph)
        spec = VIEWS["services"]
        views = [_view(view_graph(graphs, "services"), "view.services",
                       (("nb", spec.title_nb), ("en", spec.title_en)), elements, groups,
                       serving)]
        for number, labels in sorted(graphs.index.group_labels.items()):
            try:
                picture = view_graph(graphs, "services", group=number)
            except UsageError:  # a group whose filter leaves no service has no view
                continue
            views.append(_view(picture, f"view.group-{number}",
                               (("nb", f"{number} {labels['nb']}"),
                                ("en", f"{number} {labels['en']}")),
                               elements, groups, serving))
        return views

    return make


__all__ = ["LAYOUT_LIMIT", "PX_PER_INCH", "view_maker"]
