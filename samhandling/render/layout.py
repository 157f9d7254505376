"""Where everything of a drawing stands: ``dot`` places the chosen grid, routes the edges, and
the result becomes a :class:`Layout` value that any writer can draw from.

Two passes. ``dot`` places the grid without the view's edges; then ``dot -Kneato -n2`` keeps
every position and routes the edges: round nodes and frame labels as splines when there are
at most :data:`ROUTE_LIMIT` edges, as straight lines above that (spline routing grows too
slow), so an arrow between two frames goes the short way instead of round the drawing. Views
up to :data:`MEASURE_LIMIT` nodes (slide-sized) first have ``dot`` measure the
:data:`CANDIDATES` best layouts the grid search estimated, and keep the one drawn largest.

:func:`arrange` ends with the placed and routed DOT text (an :class:`Arrangement`), which
Graphviz draws as SVG, PNG or PDF. :func:`layout` has Graphviz write the same arrangement as
JSON (``-Tjson``) and reads it with :mod:`json` into a :class:`Layout`: every node's box and
label lines, every edge's route, every frame, the title's and the legend's room, in inches
from the drawing's top left. Writers that draw natively (PowerPoint shapes and connectors,
ArchiMate view bounds) use it, so they stand everything exactly where the picture does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..errors import SamhandlingError
from ..process import Deadline
from .dot_text import EDGES_MARK, emit, node_ids
from .graphviz import DOT_TIMEOUT, run_dot
from .grid import prepare
from .options import DotOptions

__all__ = ["CANDIDATES", "MEASURE_LIMIT", "ROUTE_LIMIT", "Arrangement", "Frame", "Layout",
           "PlacedNode", "Rect", "RoutedEdge", "arrange", "layout"]

#: Views with up to this many edges have them routed round nodes and labels as splines;
#: more are drawn as straight lines (spline routing gets slow: 5 s at 130 edges, minutes at
#: 1,000).
ROUTE_LIMIT = 80
#: Views up to this many nodes (slide-sized) have their best candidate layouts measured.
MEASURE_LIMIT = 80
#: How many of the best estimated layouts :func:`arrange` measures with ``dot``.
CANDIDATES = 8


@dataclass(frozen=True)
class Arrangement:
    """A view's DOT text with everything placed (and the edges routed), and how ``dot`` runs
    it: pinned to the given positions by ``neato -n2`` once edges are routed."""

    source: str
    engine: str | None = None
    pinned: bool = False

    def draw(self, fmt: str, deadline: Deadline | float = DOT_TIMEOUT,
             dpi: int | None = None) -> bytes:
        """What Graphviz writes for this arrangement in ``fmt`` (``svg``, ``png``, ``json``)."""
        return run_dot(self.source, fmt, dpi=dpi, engine=self.engine, pinned=self.pinned,
                       timeout=deadline)


def _scale(source: str, deadline: Deadline) -> float:
    """How much ``dot`` shrinks a drawing to fit its ``size`` (1.0: not at all)."""
    plain = run_dot(source, "plain", timeout=deadline).decode("utf-8", "replace")
    first = plain.split("\n", 1)[0].split()
    return float(first[1]) if len(first) > 1 and first[0] == "graph" else 1.0


def arrange(view: nx.DiGraph, options: DotOptions, deadline: Deadline) -> Arrangement:
    """Choose, place and route the drawing of ``view`` (see the module docstring); every
    ``dot`` run counts against ``deadline``."""
    prepared = prepare(view, options)
    specs = prepared.specs[:CANDIDATES] if len(view) <= MEASURE_LIMIT and options.size \
        else prepared.specs[:1]
    best: tuple[float, str] | None = None
    for spec in specs:
        grid = emit(view, options, prepared.layers, spec).rpartition(EDGES_MARK)[0] + "}\n"
        scale = _scale(grid, deadline) if len(specs) > 1 else 1.0
        if best is None or scale > best[0] + 1e-6:
            best = (scale, grid)
        if scale >= 1.0:
            break
    assert best is not None
    grid = best[1]
    if view.number_of_edges() == 0:
        return Arrangement(grid)
    edges = emit(view, options, prepared.layers, prepared.specs[0]).rpartition(EDGES_MARK)[2]
    placed = run_dot(grid, "dot", timeout=deadline).decode("utf-8").rstrip()
    if not placed.endswith("}"):
        raise SamhandlingError("dot returned a layout it cannot read back")
    edge_lines = edges.rstrip().removesuffix("}").replace(" [constraint=false]", "")
    splines = "true" if view.number_of_edges() <= ROUTE_LIMIT else "line"
    routed = (placed[:-1] + _label_blockers(placed) + f"  graph [splines={splines}];\n"
              + edge_lines + "\n}\n")
    return Arrangement(routed, engine="neato", pinned=True)


_CLUSTER = re.compile(r"subgraph (cluster_\w+) \{\s*graph \[([^\]]*)\]")


def _label_blockers(placed: str) -> str:
    """Invisible nodes over the frame labels of a laid-out drawing, so the edge router
    steers round the labels as it does round the nodes."""
    lines = []
    for match in _CLUSTER.finditer(placed):
        if match.group(1) == "cluster_main":
            continue
        attrs = match.group(2)
        lp = re.search(r'lp="([\d.]+),([\d.]+)"', attrs)
        width = re.search(r"lwidth=([\d.]+)", attrs)
        height = re.search(r"lheight=([\d.]+)", attrs)
        if lp and width and height:
            lines.append(f"  block_{match.group(1)} [shape=box, style=invis, label=\"\", "
                         f"fixedsize=true, width={width.group(1)}, height={height.group(1)}, "
                         f'pos="{lp.group(1)},{lp.group(2)}!"];')
    return "\n".join(lines) + "\n"


# -- the layout as a value -------------------------------------------------------------------

#: A point in inches from the drawing's top left, y growing downwards.
Point = tuple[float, float]


@dataclass(frozen=True)
class Rect:
    """A rectangle in inches from the drawing's top left (y down, as on a slide)."""

    left: float
    top: float
    width: float
    height: float

    @property
    def centre(self) -> Point:
        return (self.left + self.width / 2, self.top + self.height / 2)


@dataclass(frozen=True)
class PlacedNode:
    """One node of the view where Graphviz drew it, with its label as drawn."""

    #: the view's node key (the IRI)
    node: str
    box: Rect
    #: the label line by line, wrapped as in the picture
    lines: tuple[str, ...]
    #: font size of the label in points
    fontsize: float


@dataclass(frozen=True)
class RoutedEdge:
    """One edge of the view and the route Graphviz drew for it."""

    source: str
    target: str
    #: cubic Bézier control points (1 + 3k of them), from the source's end to the target's
    points: tuple[Point, ...]
    #: tip of the arrowhead at the target, where Graphviz drew one
    arrow: Point | None


@dataclass(frozen=True)
class Frame:
    """A framed block of nodes: a main group's services, or the services the view leaves
    unconnected."""

    #: ``group3``, ``group0`` (no main group) or ``unconnected``
    key: str
    box: Rect
    #: the frame's title line by line
    lines: tuple[str, ...]
    #: view node keys inside the frame, sorted
    members: tuple[str, ...]


@dataclass(frozen=True)
class Layout:
    """Everything of a drawing where Graphviz placed it, in inches from the top left.

    ``width`` × ``height`` is the drawing as laid out; ``scale`` (at most 1) is how much it
    is shrunk to fit the size it was drawn for (:attr:`DotOptions.size`). ``title`` and
    ``legend`` are the room the picture keeps for them (``None`` when drawn without).
    Nodes are sorted by key, edges by (source, target), frames in reading order.
    """

    width: float
    height: float
    scale: float
    nodes: tuple[PlacedNode, ...]
    edges: tuple[RoutedEdge, ...]
    frames: tuple[Frame, ...]
    title: Rect | None
    legend: Rect | None

    def node(self, key: str) -> PlacedNode:
        """The placed node of view node ``key``; :class:`KeyError` if the view has none."""
        for placed in self.nodes:
            if placed.node == key:
                return placed
        raise KeyError(key)

    @classmethod
    def from_graphviz_json(cls, data: Mapping[str, Any], names: Mapping[str, str]) -> Layout:
        """Read Graphviz's ``-Tjson`` output; ``names`` maps each view node key to its DOT
        name (:func:`samhandling.render.dot_text.node_ids`). Invisible helpers (anchors,
        grid edges, label blockers) are left out."""
        return _read_json(data, names)


def layout(view: nx.DiGraph, options: DotOptions | None = None) -> Layout:
    """The layout of ``view`` exactly as :func:`samhandling.render.dot.draw` draws it.

    Raises
    ------
    ToolMissingError
        Graphviz ``dot`` is not on PATH.
    SamhandlingError
        ``dot`` failed or took longer than :data:`~samhandling.render.graphviz.DOT_TIMEOUT`.
    """
    options = options or DotOptions()
    deadline = Deadline(DOT_TIMEOUT)
    drawn = arrange(view, options, deadline).draw("json", deadline)
    return Layout.from_graphviz_json(json.loads(drawn), node_ids(view))


def _numbers(text: str) -> list[float]:
    return [float(part) for part in text.split(",")]


def _text(item: Mapping[str, Any], key: str = "_ldraw_") -> tuple[tuple[str, ...], float]:
    """The lines a label was drawn as, and its font size (from the xdot drawing ops)."""
    lines: list[str] = []
    size = 0.0
    for op in item.get(key, ()):
        if op.get("op") == "F":
            size = size or float(op.get("size", 0.0))
        elif op.get("op") == "T":
            lines.append(str(op.get("text", "")))
    return tuple(lines), size


def _read_json(data: Mapping[str, Any], names: Mapping[str, str]) -> Layout:
    x0, y0, x1, y1 = _numbers(str(data.get("bb", "0,0,0,0")))

    def point(x: float, y: float) -> Point:
        return ((x - x0) / 72, (y1 - y) / 72)

    def label_rect(item: Mapping[str, Any]) -> Rect | None:
        if "lp" not in item:
            return None
        x, y = _numbers(str(item["lp"]))
        w, h = float(item.get("lwidth", 0)), float(item.get("lheight", 0))
        left, top = point(x, y)
        return Rect(left - w / 2, top - h / 2, w, h)

    key_of = {name: key for key, name in names.items()}
    objects = list(data.get("objects", ()))
    by_gvid = {int(o["_gvid"]): o for o in objects if "_gvid" in o}

    def view_key(gvid: int) -> str | None:
        """The view node of an object number (what edges and clusters refer to)."""
        return key_of.get(str(by_gvid.get(gvid, {}).get("name")))

    nodes: list[PlacedNode] = []
    frames: list[Frame] = []
    title: Rect | None = None
    for item in objects:
        name = str(item.get("name", ""))
        if name.startswith("cluster_"):
            if name == "cluster_main":
                title = label_rect(item)
                continue
            bx0, by0, bx1, by1 = _numbers(str(item["bb"]))
            left, top = point(bx0, by1)
            members = sorted(k for k in map(view_key, item.get("nodes", ())) if k)
            frames.append(Frame(name.removeprefix("cluster_"),
                                Rect(left, top, (bx1 - bx0) / 72, (by1 - by0) / 72),
                                _text(item)[0], tuple(members)))
        elif name in key_of and "pos" in item:
            x, y = _numbers(str(item["pos"]))
            w, h = float(item["width"]), float(item["height"])
            cx, cy = point(x, y)
            lines, size = _text(item)
            nodes.append(PlacedNode(key_of[name], Rect(cx - w / 2, cy - h / 2, w, h),
                                    lines, size))
    edges: list[RoutedEdge] = []
    for item in data.get("edges", ()):
        if "invis" in str(item.get("style", "")):
            continue
        source = view_key(int(item["tail"]))
        target = view_key(int(item["head"]))
        if source is None or target is None:
            continue
        points: list[Point] = []
        arrow: Point | None = None
        for part in str(item.get("pos", "")).split():
            if part.startswith("e,"):
                arrow = point(*_numbers(part[2:]))
            elif not part.startswith("s,"):
                points.append(point(*_numbers(part)))
        edges.append(RoutedEdge(source, target, tuple(points), arrow))
    width, height = (x1 - x0) / 72, (y1 - y0) / 72
    scale = 1.0
    fit = str(data.get("size", ""))
    if fit and width and height:
        fit_w, fit_h = _numbers(fit.rstrip("!"))[:2]
        scale = min(1.0, fit_w / width, fit_h / height)
    return Layout(width, height, scale, tuple(sorted(nodes, key=lambda n: n.node)),
                  tuple(sorted(edges, key=lambda e: (e.source, e.target))), tuple(frames),
                  title, label_rect(data))
