"""A view drawn with PowerPoint's own shapes: one auto-shape per node, one glued connector per
edge, frames per main group, where Graphviz placed them.

Graphviz lays the view out (:func:`samhandling.render.layout.layout`, the same grid the SVG
and PNG show); this module scales that layout to fill the area it is given and draws it with
shapes an architect can edit: a node is a rounded rectangle (or the shape its kind has
elsewhere) holding its label as text, filled with its main group's colour and bordered by its
2023 maturity (:mod:`.style`); an edge is a straight connector whose ends are glued to the
connection sites of its two shapes (``stCxn``/``endCxn``), so PowerPoint moves the arrow with
a dragged box, with an arrowhead at the reused service.

Boxes are spaced wider than in the picture (:data:`NODESEP`, :data:`RANKSEP`) so an arrowhead
always has room between two boxes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import networkx as nx
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Inches, Pt

from .aggregate import AGGREGATE_KIND
from .fonts import text_width
from .layout import Layout, PlacedNode, Point, Rect, RoutedEdge, layout
from .options import DotOptions
from .pptx_package import rgb, set_text
from .style import KIND_STYLES, MATURITY_STYLES, NO_MATURITY, OTHER_KIND, group_colour, wrap

__all__ = ["LINE_SPACING", "MAX_ZOOM", "MIN_LABEL_PT", "NODESEP", "RANKSEP", "Drawn",
           "NodeLook", "diagram_layout", "draw_diagram", "node_look", "readable_on_slide",
           "ring_layout", "zoom_for"]

#: Inches between boxes side by side and between rows (the picture uses 0.12 and 0.2): room
#: for an arrowhead between two boxes, without shrinking the labels of a dense view much.
NODESEP = 0.2
RANKSEP = 0.35
#: A small view is enlarged to fill its area, but never beyond this (a three-box focus view
#: at 40 pt would look like a poster).
MAX_ZOOM = 2.0
#: Line spacing of labels: Graphviz sets lines closer than a text box's single spacing.
LINE_SPACING = 0.9
#: Labels below this size (points, at slide size) are unreadable on a projected slide.
MIN_LABEL_PT = 12.0
#: Graphviz shape name -> (PowerPoint auto-shape, connection site of top, left, bottom, right).
_RECT_SITES = (0, 1, 2, 3)
SHAPES: dict[str, tuple[MSO_SHAPE, tuple[int, int, int, int]]] = {
    "box": (MSO_SHAPE.RECTANGLE, _RECT_SITES),
    "note": (MSO_SHAPE.FOLDED_CORNER, _RECT_SITES),
    "ellipse": (MSO_SHAPE.OVAL, (0, 2, 4, 6)),
    "hexagon": (MSO_SHAPE.FLOWCHART_PREPARATION, _RECT_SITES),
    "component": (MSO_SHAPE.FLOWCHART_PREDEFINED_PROCESS, _RECT_SITES),
    "folder": (MSO_SHAPE.FLOWCHART_ALTERNATE_PROCESS, _RECT_SITES),
    "tab": (MSO_SHAPE.FLOWCHART_ALTERNATE_PROCESS, _RECT_SITES),
    "rounded": (MSO_SHAPE.ROUNDED_RECTANGLE, _RECT_SITES),
}
_DASH = {"solid": MSO_LINE_DASH_STYLE.SOLID, "dashed": MSO_LINE_DASH_STYLE.DASH,
         "dotted": MSO_LINE_DASH_STYLE.ROUND_DOT}
#: Side of a box -> index into a shape's connection sites.
_SIDES = ("top", "left", "bottom", "right")


@dataclass(frozen=True)
class NodeLook:
    """How one node is drawn: shape, fill, border colour, width (pt), dash, text colour."""

    shape: str
    fill: str
    line: str
    width: float
    dash: str
    text: str = "#000000"


def node_look(data: dict[str, Any]) -> NodeLook:
    """The look of a node from the tables of :mod:`.style`, as the Graphviz picture has it."""
    kind = data.get("kind")
    if kind == "service":
        fill, _, background = group_colour(int(data.get("group") or 0))
        maturity = MATURITY_STYLES.get(str(data.get("maturity") or ""), NO_MATURITY)
        context = bool(data.get("context"))
        return NodeLook("rounded", background if context else fill,
                        "#777777" if context else "#1a1a1a",
                        2.4 if maturity.border != "solid" else 1.8, maturity.border,
                        "#555555" if context else "#000000")
    if kind == AGGREGATE_KIND:
        group = int(data.get("group") or 0)
        if group:
            return NodeLook("rounded", group_colour(group)[0], "#1a1a1a", 1.8, "solid")
        style = KIND_STYLES.get(str(data.get("inner_kind")), OTHER_KIND)
        return NodeLook(style.shape, style.fill, "#555555", 1.2, "solid")
    style = KIND_STYLES.get(str(kind), OTHER_KIND)
    return NodeLook(style.shape, style.fill, "#555555", 1.2, "solid")


@dataclass(frozen=True)
class Drawn:
    """What :func:`draw_diagram` put on the slide."""

    #: view node -> shape id on the slide
    shapes: dict[str, int]
    #: how much the layout was scaled (1: as Graphviz laid it out at 14 pt)
    zoom: float
    #: the smallest label size in points
    smallest_label: float
    #: the area the drawing takes, in inches on the slide
    box: Rect


def diagram_layout(view: nx.DiGraph, lang: str, area: tuple[float, float]) -> Layout:
    """Graphviz's layout of ``view`` for an area of ``area`` inches, with room for arrows
    (three times more between the few boxes of an aggregated view: its arrows carry
    numbers)."""
    spread = 3.0 if view.graph.get("aggregated") else 1.0
    return layout(view, DotOptions(lang=lang, legend=False, title=False, size=area, pad=0.0,
                                   nodesep=NODESEP * spread, ranksep=RANKSEP * spread))


#: Where an aggregated arrow's weight stands, as a share of the way back from its head.
WEIGHT_AT = 0.3
#: Boxes of an aggregated view: width in inches, characters per label line, font size.
RING_BOX = (2.4, 22, 14.0)


def ring_layout(view: nx.DiGraph, lang: str, area: tuple[float, float]) -> Layout:
    """An aggregated view's few boxes on an ellipse filling ``area``, in the order of their
    keys (main groups first, by number), clockwise from the top: nearly every pair of main
    groups is linked, and straight arrows between boxes on a ring cross no other box."""
    width, per_line, size = RING_BOX
    nodes = sorted(view, key=lambda n: (not str(n).startswith("group"), str(n)))
    lines = {n: tuple(wrap(str(view.nodes[n].get(f"label_{lang}") or n), per_line))
             for n in nodes}
    heights = {n: len(lines[n]) * size * 1.2 / 72 + 0.15 for n in nodes}
    tallest = max(heights.values(), default=0.5)
    rx = max(area[0] / 2 - width / 2 - 0.1, 0.5)
    ry = max(area[1] / 2 - tallest / 2 - 0.1, 0.5)
    placed: list[PlacedNode] = []
    centres: dict[str, Point] = {}
    for number, node in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * number / max(len(nodes), 1)
        cx, cy = area[0] / 2 + rx * math.cos(angle), area[1] / 2 + ry * math.sin(angle)
        centres[node] = (cx, cy)
        placed.append(PlacedNode(node, Rect(cx - width / 2, cy - heights[node] / 2, width,
                                            heights[node]), lines[node], size))
    edges = tuple(RoutedEdge(a, b, (centres[a], centres[b]), None)
                  for a, b in sorted(view.edges()))
    return Layout(area[0], area[1], 1.0, tuple(sorted(placed, key=lambda p: p.node)), edges,
                  (), None, None)


def zoom_for(placed: Layout, area: tuple[float, float]) -> float:
    """How much a layout is scaled to fill ``area`` (inches), at most :data:`MAX_ZOOM`."""
    return min(area[0] / max(placed.width, 0.01), area[1] / max(placed.height, 0.01),
               MAX_ZOOM)


#: Views up to this many nodes are readable on a slide without laying them out to check.
SURELY_READABLE = 30
#: The area a one-slide diagram gets (the slide less title, legend and margins), inches.
DIAGRAM_AREA = (13.0, 6.0)


def readable_on_slide(view: nx.DiGraph, lang: str = "nb") -> bool:
    """True when the diagram of ``view`` keeps its labels at :data:`MIN_LABEL_PT` or more on
    a 16:9 slide (lays the view out unless it is small)."""
    if view.number_of_nodes() <= SURELY_READABLE:
        return True
    placed = diagram_layout(view, lang, DIAGRAM_AREA)
    sizes = [n.fontsize for n in placed.nodes if n.fontsize] or [14.0]
    return min(sizes) * zoom_for(placed, DIAGRAM_AREA) >= MIN_LABEL_PT - 0.25


def _side(box: Rect, point: Point) -> int:
    """The side of ``box`` (index into :data:`_SIDES`) nearest to ``point``."""
    x, y = point
    distances = (abs(y - box.top), abs(x - box.left), abs(y - (box.top + box.height)),
                 abs(x - (box.left + box.width)))
    return min(range(4), key=lambda side: (distances[side], side))


#: What a straight connector pays for crossing a box and a frame's title (against its length
#: in inches): the connection sites are chosen so an arrow runs clear of other boxes where
#: a straight line can.
CROSS_BOX = 100.0
CROSS_TITLE = 20.0
#: What it pays for leaving the sides Graphviz's own route leaves and enters by.
OTHER_SIDE = 0.3


#: What it pays for passing closer than :data:`CLEARANCE` inches to a box, and for leaving
#: or entering a box at a grazing angle (an arrowhead lying along the box's side).
GRAZE = 3.0
CLEARANCE = 0.06
_NORMALS = ((0.0, -1.0), (-1.0, 0.0), (0.0, 1.0), (1.0, 0.0))


def _crosses(a: Point, b: Point, box: Rect, inset: float = 0.02) -> bool:
    """True when segment a-b runs through the inside of ``box`` (Liang-Barsky clipping,
    against the box shrunk by ``inset``, so a segment touching its side does not count; a
    negative ``inset`` grows the box)."""
    x0, y0 = box.left + inset, box.top + inset
    x1, y1 = box.left + box.width - inset, box.top + box.height - inset
    if x1 <= x0 or y1 <= y0:
        return False
    dx, dy = b[0] - a[0], b[1] - a[1]
    low, high = 0.0, 1.0
    for p, q in ((-dx, a[0] - x0), (dx, x1 - a[0]), (-dy, a[1] - y0), (dy, y1 - a[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def _sites(source: Rect, target: Rect, hint: tuple[int, int],
           obstacles: list[tuple[Rect, float]],
           reverse: tuple[int, int] | None = None) -> tuple[int, int]:
    """The sides of ``source`` and ``target`` a straight connector joins: the pair whose line
    crosses the fewest boxes and titles (the two shapes' insides included), then the
    shortest, Graphviz's own sides breaking ties. ``reverse``: the sides the edge the other
    way took (target's, source's), which this one avoids, so the two arrows lie apart."""
    best: tuple[float, int, int] | None = None
    for begin in range(4):
        a = _site_point(source, begin)
        for end in range(4):
            b = _site_point(target, end)
            length = math.dist(a, b)
            cost = length + (0.0 if (begin, end) == hint else OTHER_SIDE)
            if reverse is not None and (end, begin) == reverse:
                cost += CROSS_TITLE
            for box, weight in obstacles:
                if _crosses(a, b, box):
                    cost += weight
                elif box is not source and box is not target and \
                        _crosses(a, b, box, -CLEARANCE):
                    cost += GRAZE
            if length > 0:
                out = _NORMALS[begin]
                into = _NORMALS[end]
                leaving = ((b[0] - a[0]) * out[0] + (b[1] - a[1]) * out[1]) / length
                entering = -((b[0] - a[0]) * into[0] + (b[1] - a[1]) * into[1]) / length
                cost += GRAZE * ((leaving < 0.35) + (entering < 0.35))
            if best is None or cost < best[0] - 1e-9:
                best = (cost, begin, end)
    assert best is not None
    return best[1], best[2]


def _site_point(box: Rect, side: int) -> Point:
    cx, cy = box.centre
    return ((cx, box.top), (box.left, cy), (cx, box.top + box.height),
            (box.left + box.width, cy))[side]


def _add_arrowhead(connector: Any, weight: float) -> None:
    """A filled arrowhead at the connector's end (``a:tailEnd``), kept last in ``a:ln``."""
    ln = connector.line._get_or_add_ln()
    tail = OxmlElement("a:tailEnd")
    ln.append(tail)
    tail.set("type", "triangle")
    tail.set("w", "med")
    tail.set("len", "med")
    del weight


def draw_diagram(slide: Any, view: nx.DiGraph, lang: str, area: Rect,
                 placed: Layout | None = None) -> Drawn:
    """Draw ``view`` natively on ``slide`` inside ``area`` (inches), centred and as large as
    fits (at most :data:`MAX_ZOOM` times the laid-out size).

    Raises
    ------
    ToolMissingError
        Graphviz ``dot`` is not on PATH (it lays the view out).

    Notes
    -----
    One Graphviz layout plus O(n + m) shapes.
    """
    if placed is None:
        placed = ring_layout(view, lang, (area.width, area.height)) \
            if view.graph.get("aggregated") else \
            diagram_layout(view, lang, (area.width, area.height))
    zoom = zoom_for(placed, (area.width, area.height))
    left = area.left + (area.width - placed.width * zoom) / 2
    top = area.top + (area.height - placed.height * zoom) / 2

    def at(rect: Rect) -> Rect:
        return Rect(left + rect.left * zoom, top + rect.top * zoom, rect.width * zoom,
                    rect.height * zoom)

    shapes = slide.shapes
    for frame in placed.frames:
        box = at(frame.box)
        accent, background = ("#888888", "#f6f6f6") if frame.key == "unconnected" else \
            group_colour(int(frame.key.removeprefix("group")))[1:]
        shape = shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Inches(box.left),
                                 Inches(box.top), Inches(box.width), Inches(box.height))
        shape.name = f"frame {frame.key}"
        shape.adjustments[0] = min(0.5, 0.08 / max(min(box.width, box.height), 0.01))
        shape.fill.solid()
        shape.fill.fore_color.rgb = rgb(background)
        shape.line.color.rgb = rgb(accent)
        shape.line.width = Pt(1.5)
        text = shape.text_frame
        text.word_wrap = False
        text.auto_size = MSO_AUTO_SIZE.NONE
        text.vertical_anchor = MSO_ANCHOR.TOP
        text.margin_left = text.margin_right = Inches(0.06)
        text.margin_top = Inches(0.02)
        text.margin_bottom = 0
        set_text(text, frame.lines, _label_size(placed, zoom))
        for paragraph in text.paragraphs:
            paragraph.alignment = PP_ALIGN.LEFT
            paragraph.line_spacing = LINE_SPACING
    ids: dict[str, int] = {}
    boxes: dict[str, Rect] = {}
    sites: dict[str, tuple[int, int, int, int]] = {}
    smallest = math.inf
    first_node: Any = None
    for node in placed.nodes:
        data = view.nodes[node.node]
        look = node_look(data)
        auto_shape, node_sites = SHAPES.get(look.shape, SHAPES["box"])
        box = at(node.box)
        shape = shapes.add_shape(auto_shape, Inches(box.left), Inches(box.top),
                                 Inches(box.width), Inches(box.height))
        shape.name = f"node {data.get('id') or node.node}"
        shape.fill.solid()
        shape.fill.fore_color.rgb = rgb(look.fill)
        shape.line.color.rgb = rgb(look.line)
        shape.line.width = Pt(look.width)
        shape.line.dash_style = _DASH.get(look.dash, MSO_LINE_DASH_STYLE.SOLID)
        shape.shadow.inherit = False
        if auto_shape == MSO_SHAPE.ROUNDED_RECTANGLE:
            # a small corner: the default (1/6 of the short side) insets the text too
            shape.adjustments[0] = min(0.5, 0.07 / max(min(box.width, box.height), 0.01))
        size = _node_size(node, zoom)
        smallest = min(smallest, size)
        frame = shape.text_frame
        frame.word_wrap = False
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        frame.margin_left = frame.margin_right = Inches(0.02)
        frame.margin_top = frame.margin_bottom = 0
        set_text(frame, node.lines or (str(data.get(f"label_{lang}", "")),), size,
                 colour=look.text)
        for paragraph in frame.paragraphs:
            paragraph.alignment = PP_ALIGN.CENTER
            paragraph.line_spacing = LINE_SPACING
        if first_node is None:
            first_node = shape._element
        ids[node.node] = shape.shape_id
        boxes[node.node] = box
        sites[node.node] = node_sites
    by_id = {shape.shape_id: shape for shape in shapes}
    label_h = _label_size(placed, zoom) * 1.2 / 72
    obstacles = [(box, CROSS_BOX) for box in boxes.values()]
    obstacles += [(Rect(at(f.box).left, at(f.box).top,
                        max((text_width(line, _label_size(placed, zoom)) for line in f.lines),
                            default=0.0) + 0.1, len(f.lines) * label_h + 0.03), CROSS_TITLE)
                   for f in placed.frames]
    used: dict[tuple[str, str], tuple[int, int]] = {}
    for edge in placed.edges:
        source, target = boxes[edge.source], boxes[edge.target]
        start = _scaled(edge.points[0], left, top, zoom) if edge.points else target.centre
        end = edge.arrow or (edge.points[-1] if edge.points else source.centre)
        if edge.arrow is not None or edge.points:
            end = _scaled(end, left, top, zoom)
        begin_side, end_side = _sites(source, target, (_side(source, start), _side(target, end)),
                                      obstacles, used.get((edge.target, edge.source)))
        used[(edge.source, edge.target)] = (begin_side, end_side)
        bx, by = _site_point(source, begin_side)
        ex, ey = _site_point(target, end_side)
        connector = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Inches(bx), Inches(by),
                                         Inches(ex), Inches(ey))
        connector._connect_begin_to(by_id[ids[edge.source]],
                                    sites[edge.source][begin_side])
        connector._connect_end_to(by_id[ids[edge.target]], sites[edge.target][end_side])
        weight = float(view.edges[edge.source, edge.target].get("weight", 1) or 1)
        connector.name = f"edge {view.nodes[edge.source].get('id')} -> " \
                         f"{view.nodes[edge.target].get('id')}"
        connector.line.color.rgb = rgb("#333333")
        connector.line.width = Pt(min(6.0, 1.5 + math.log2(weight)))
        _add_arrowhead(connector, weight)
        if first_node is not None:
            # under the boxes, as in the picture: a line crossing a box hides behind it
            first_node.addprevious(connector._element)
        if weight > 1:
            # a third of the way back from the arrowhead: labels of lines that cross in the
            # middle of a ring stay apart, each near the group it points to
            label = _weight_label(shapes, ex + (bx - ex) * WEIGHT_AT, ey + (by - ey) * WEIGHT_AT,
                                  int(weight),
                                  _label_size(placed, zoom))
            if first_node is not None:
                first_node.addprevious(label._element)
    drawn = Rect(left, top, placed.width * zoom, placed.height * zoom)
    return Drawn(ids, zoom, smallest if smallest != math.inf else 0.0, drawn)


def _scaled(point: Point, left: float, top: float, zoom: float) -> Point:
    return (left + point[0] * zoom, top + point[1] * zoom)


def _node_size(node: PlacedNode, zoom: float) -> float:
    """A node's label size on the slide in points, in half points."""
    return math.floor((node.fontsize or 14.0) * zoom * 2) / 2


def _label_size(placed: Layout, zoom: float) -> float:
    sizes = [n.fontsize for n in placed.nodes if n.fontsize]
    return math.floor((min(sizes) if sizes else 14.0) * zoom * 2) / 2


def _weight_label(shapes: Any, x: float, y: float, weight: int, size: float) -> Any:
    """The number of links an aggregated arrow stands for, on a white patch at its middle."""
    text = str(weight)
    width = (len(text) * 0.6 + 0.5) * size / 72
    height = size * 1.3 / 72
    box = shapes.add_textbox(Emu(Inches(x - width / 2)), Emu(Inches(y - height / 2)),
                             Inches(width), Inches(height))
    box.name = f"weight {weight}"
    box.fill.solid()
    box.fill.fore_color.rgb = rgb("#ffffff")
    frame = box.text_frame
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    frame.word_wrap = False
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    set_text(frame, (text,), size)
    frame.paragraphs[0].alignment = PP_ALIGN.CENTER
    return box
